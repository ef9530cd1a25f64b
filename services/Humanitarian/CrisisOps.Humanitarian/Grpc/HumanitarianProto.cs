using CrisisOps.Humanitarian.Assistance;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Locations;
using CrisisOps.Humanitarian.Needs;
using CrisisOps.Humanitarian.Picture;
using CrisisOps.Legal;
using Google.Protobuf.WellKnownTypes;
using static CrisisOps.ServiceDefaults.Grpc.ProtoFields;

namespace CrisisOps.Humanitarian.Grpc;

/// <summary>Proto ↔ domain mapping for humanitarian support.</summary>
public static class HumanitarianProto
{
    /// <summary>
    /// Free text that ends up in spreadsheets (HXL export): refused when it starts like a formula, so that opening the
    /// export can never run one (CSV injection), and the export stays the data as recorded.
    /// </summary>
    public static string PlainText(string? value, string field, int max = 200)
    {
        var text = Required(value, field, max);
        return text[0] is '=' or '+' or '-' or '@' ? throw new InvalidFieldException(field, "must not start with =, +, - or @ (a spreadsheet formula)") : text;
    }

    public static string? OptionalPlainText(string? value, string field, int max = 200) =>
        string.IsNullOrWhiteSpace(value) ? null : PlainText(value, field, max);

    public static Location ToDomain(V1.Location? l) => l is null
        ? throw new InvalidFieldException("location", "is required")
        : new Location(
            Country(l.Country, "location.country"),
            PlainText(l.Admin1Name, "location.admin1_name"),
            OptionalPlainText(l.Admin1Pcode, "location.admin1_pcode", 20)?.ToUpperInvariant(),
            OptionalPlainText(l.Name, "location.name"),
            l.BeyondBorder);

    public static V1.Location ToProto(Location l) => new()
    {
        Country = l.Country,
        Admin1Name = l.Admin1Name,
        Admin1Pcode = l.Admin1Pcode ?? "",
        Name = l.Name ?? "",
        BeyondBorder = l.BeyondBorder,
    };

    public static Sector ToDomain(V1.Sector s, string field = "sector") => Known((Sector)((int)Enum(s, field) - 1), field);

    public static Sector? Filter(V1.Sector s) => s == V1.Sector.Unspecified ? null : Known((Sector)((int)s - 1), "sector");

    /// <summary>A sector the contract knows: a number sent by a newer or hostile client is refused, not carried into a stream id.</summary>
    private static Sector Known(Sector s, string field) =>
        System.Enum.IsDefined(s) ? s : throw new InvalidFieldException(field, $"{(int)s + 1} is not a known sector");

    public static V1.Sector ToProto(Sector s) => (V1.Sector)((int)s + 1);

    public static V1.OrganisationType ToProto(OrganisationType t) => (V1.OrganisationType)((int)t + 1);

    public static V1.AssistanceStatus ToProto(AssistanceStatus s) => (V1.AssistanceStatus)((int)s + 1);

    public static AssistanceStatus? Filter(V1.AssistanceStatus s) => s == V1.AssistanceStatus.Unspecified ? null : (AssistanceStatus)((int)s - 1);

    public static V1.ActivityStatus ToProto(ActivityStatus s) => (V1.ActivityStatus)((int)s + 1);

    public static PopulationFigures ToDomain(V1.PopulationFigures? f) => f is null
        ? throw new InvalidFieldException("figures", "is required")
        : new PopulationFigures(f.Affected, f.InNeed, f.Targeted, f.Reached);

    public static VulnerableGroups? ToDomain(V1.VulnerableGroups? v) => v is null
        ? null
        : new VulnerableGroups(v.Children, v.UnaccompaniedMinors, v.PersonsWithDisabilities, v.OlderPersons);

    public static V1.Organisation ToProto(Organisation o) => new()
    {
        Code = o.Code,
        Name = o.Name,
        Type = ToProto(o.Type),
        HxlOrg = o.HxlOrg,
        Country = o.Country ?? "",
    };

    public static V1.NeedsAssessment ToProto(NeedsView v) => new()
    {
        AssessmentId = v.Id,
        Version = v.Version,
        Country = v.Country,
        Location = ToProto(v.Location),
        Sector = ToProto(v.Sector),
        Figures = new V1.PopulationFigures { Affected = v.Figures.Affected, InNeed = v.Figures.InNeed, Targeted = v.Figures.Targeted, Reached = v.Figures.Reached },
        VulnerableGroups = v.Vulnerable is { } g
            ? new V1.VulnerableGroups
            {
                Children = g.Children,
                UnaccompaniedMinors = g.UnaccompaniedMinors,
                PersonsWithDisabilities = g.PersonsWithDisabilities,
                OlderPersons = g.OlderPersons,
            }
            : null,
        AssessedOn = Iso(v.AssessedOn),
        Source = v.Source ?? "",
        RecordedFor = v.RecordedFor,
        UpdatedAt = Timestamp.FromDateTimeOffset(v.UpdatedAt),
    };

    public static V1.AssistanceRequestDetails ToProto(AssistanceRequestView v, OrganisationRegistry registry)
    {
        var details = new V1.AssistanceRequestDetails
        {
            AssistanceRequestId = v.Id,
            Version = v.Version,
            Country = v.Country,
            Location = ToProto(v.Location),
            Sector = ToProto(v.Sector),
            Item = v.Item,
            Requested = v.Quantity,
            Unit = v.Unit,
            Deadline = Timestamp.FromDateTimeOffset(v.Deadline),
            Origin = v.Origin,
            Status = ToProto(v.Status),
            DeadlineMissed = v.DeadlineMissed,
            Pledged = v.Pledged,
            Delivered = v.Delivered,
            Remaining = v.Remaining,
            Unpledged = v.Unpledged,
            RequestedBy = v.RequestedBy,
            OpenedAt = Timestamp.FromDateTimeOffset(v.OpenedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(v.UpdatedAt),
        };
        details.Pledges.AddRange(v.Pledges.Select(p => new V1.Pledge
        {
            PledgeId = p.Id,
            Organisation = p.Organisation,
            OrganisationName = registry.Find(p.Organisation)?.Name ?? p.Organisation,
            Pledged = p.Pledged,
            Delivered = p.Delivered,
            Withdrawn = p.Withdrawn,
            Status = ToProto(OperationalPicture.StatusOf(p.Pledged, p.Delivered)),
            PledgedAt = Timestamp.FromDateTimeOffset(p.PledgedAt),
            LastDeliveryAt = p.LastDeliveryAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        }));
        return details;
    }

    public static V1.WhoDoesWhatWhereResponse ToProto(OperationalPicture picture, OrganisationRegistry registry)
    {
        var response = new V1.WhoDoesWhatWhereResponse();
        response.Activities.AddRange(picture.Activities.Select(a =>
        {
            var org = registry.Find(a.Organisation);
            return new V1.Activity
            {
                Organisation = a.Organisation,
                OrganisationName = org?.Name ?? a.Organisation,
                OrganisationType = org is null ? V1.OrganisationType.Unspecified : ToProto(org.Type),
                Country = a.Country,
                Location = ToProto(a.Location),
                Sector = ToProto(a.Sector),
                Item = a.Item,
                Unit = a.Unit,
                Pledged = a.Pledged,
                Delivered = a.Delivered,
                Status = ToProto(a.Status),
                UpdatedAt = Timestamp.FromDateTimeOffset(a.UpdatedAt),
            };
        }));
        response.Coverage.AddRange(picture.Coverage.Select(c => new V1.Coverage
        {
            Country = c.Country,
            Location = ToProto(c.Location),
            Sector = ToProto(c.Sector),
            Item = c.Item,
            Unit = c.Unit,
            Requested = c.Requested,
            Pledged = c.Pledged,
            Delivered = c.Delivered,
            Remaining = c.Remaining,
            OpenRequests = c.OpenRequests,
            NextDeadline = c.NextDeadline is { } due ? Timestamp.FromDateTimeOffset(due) : null,
            DeadlineMissed = c.DeadlineMissed,
        }));
        response.Needs.AddRange(picture.Needs.Select(ToProto));
        return response;
    }
}
