using D = CrisisOps.Contracts.Declaration.V1;
using H = CrisisOps.Contracts.Humanitarian.V1;
using L = CrisisOps.Contracts.Leverages.V1;
using M = CrisisOps.Contracts.Measures.V1;
using R = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Situation.Picture;

/// <summary>One line a coordinator reads for each event of the timeline (English; the board translates its own labels).</summary>
public static class Summaries
{
    public static string Of(object message, CountryPicture p) => message switch
    {
        D.CrisisDeclared m => $"Crisis declared in {m.TargetCountry} ({m.Scenario}, {m.Perpetrator}); stage {m.Stage}" +
            (m.QualifiesAsInstrumentalization ? "; qualifies as instrumentalization" : "; does not qualify as instrumentalization"),
        D.EmergencyDeclared m => $"Emergency declared under {m.LegalBasisCode} from {m.StartDate:yyyy-MM-dd} to {m.EndDate:yyyy-MM-dd} (legal maximum {m.LegalMaxEnd:yyyy-MM-dd})",
        D.EmergencyLegalTermSet m => $"Emergency's total cap {m.TotalCapEnd:yyyy-MM-dd}, {m.MaxExtensions} extension(s) allowed",
        D.EmergencyExtended m => $"Emergency extended (extension {m.ExtensionNumber}) to {m.NewEndDate:yyyy-MM-dd}",
        D.EmergencyExpired m => $"Emergency under {m.LegalBasisCode} expired at its legal end {m.ExpiredAt:yyyy-MM-dd HH:mm} UTC",
        D.EmergencyLifted => "Emergency lifted",
        D.CrisisStageChanged m => $"Blueprint stage changed from {m.From} to {m.To}",
        D.CrisisEnded => "Crisis ended",
        D.AlertLevelChanged m => $"Alert level of {m.BorderSection}: {m.From} → {m.To}",
        M.MeasureEnacted m => $"Measure {m.MeasureType} enacted from {m.StartDate:yyyy-MM-dd}" + (m.EndDate is { } end ? $" to {end:yyyy-MM-dd}" : " until repealed"),
        M.MeasureLegalTermSet m => $"Measure under {m.LegalBasisCitation}" + (m.TotalCapEnd is { } cap ? $": total cap {cap:yyyy-MM-dd}" : ""),
        M.MeasureExtended m => $"Measure {Title(p, m.MeasureId)} extended (extension {m.ExtensionNumber}) to {m.NewEndDate:yyyy-MM-dd}",
        M.MeasureAmended m => $"Measure {Title(p, m.MeasureId)} amended: territory {string.Join(", ", m.Territory)}",
        M.MeasureRevoked m => $"Measure {Title(p, m.MeasureId)} revoked",
        M.MeasureEndorsed m => $"Measure {Title(p, m.MeasureId)} endorsed ({m.ConfirmationReference})",
        M.MeasureAnnulled m => $"Measure {Title(p, m.MeasureId)} annulled ({m.ConfirmationReference})",
        M.MeasureExpired m => $"Measure {Title(p, m.MeasureId)} expired at its legal end",
        M.MeasureEndedWithCrisis m => $"Measure {Title(p, m.MeasureId)} ended: {m.Reason}",
        M.SafeguardBreachRefused m => $"Refused: {m.MeasureType} would cross safeguard {m.Rule}",
        R.FacilityRegistered m => $"Facility {m.Name} registered in {m.Region} ({m.Capacity.Values.Sum()} places)",
        R.OccupancyChanged m => $"Occupancy of {Facility(p, m.FacilityId)}: {m.Occupied.Values.Sum()} of {m.Capacity.Values.Sum()} places",
        R.ReceptionStrainChanged m => $"Reception strain of {m.Scope.ToLowerInvariant()} {m.ScopeId}: {m.From} → {m.To} ({m.OccupancyRate:P0})",
        R.PeopleNotPlaced { Outcome: "WaitingReported" } m =>
            $"{m.People.Values.Sum()} waiting for a place at {Facility(p, m.FacilityId)}",
        R.PeopleNotPlaced m => $"{m.People.Values.Sum()} arrivals not placed at {Facility(p, m.FacilityId)}: {m.Outcome.ToLowerInvariant()}" +
            (m.RedirectedTo is { Length: > 0 } to ? $" to {to}" : "") + $" ({m.Figures.Total} not placed there so far)",
        R.RegistrationPointStatusChanged m => $"Registration point {Facility(p, m.FacilityId)} {(m.Open ? "opened" : "closed")}",
        R.ContingencyActivated m => $"Contingency plan {m.PlanId} activated in {m.Region} (+{m.ReserveCapacity.Values.Sum()} places)",
        R.ContingencyDeactivated m => $"Contingency plan {m.PlanId} deactivated",
        H.NeedsAssessed m => $"Needs assessed in {m.Location} ({m.Sector}): {m.InNeed} in need, {m.Reached} reached",
        H.AssistanceRequested m => $"Assistance requested: {m.Quantity} × {m.Item} ({m.Sector}) in {m.Location} by {m.Deadline:yyyy-MM-dd HH:mm} UTC ({m.Origin})",
        H.PledgeMade m => $"{m.Partner} pledged {m.Quantity}",
        H.DeliveryRecorded m => $"{m.Partner} delivered {m.Quantity}; {m.Remaining} still unmet",
        H.PledgeWithdrawn m => $"{m.Partner} withdrew {m.Released}",
        H.AssistanceDeadlineMissed m => $"Assistance overdue in {m.Location}: {m.Remaining} unmet at the deadline",
        H.AssistanceRequestCancelled m => $"Assistance request cancelled ({m.Remaining} undelivered)",
        L.LeverageProposed m => $"Leverage {m.LeverageType} proposed against {m.TargetName}",
        L.AllyPositionRecorded m => $"{m.Ally}: {m.Position} on leverage {Leverage(p, m.LeverageId)}",
        L.LeverageImposed m => $"Leverage {Leverage(p, m.LeverageId)} imposed from {m.StartDate:yyyy-MM-dd}" + (m.EndDate is { } end ? $" to {end:yyyy-MM-dd}" : ""),
        L.LeverageReviewed m => $"Leverage {Leverage(p, m.LeverageId)} reviewed",
        L.LeverageRenewed m => $"Leverage {Leverage(p, m.LeverageId)} renewed to {m.NewEndDate:yyyy-MM-dd}",
        L.LeverageEscalated m => $"Leverage {Leverage(p, m.LeverageId)} escalated: {string.Join(", ", m.AddedTargets)}",
        L.LeverageSuspended m => $"Leverage {Leverage(p, m.LeverageId)} suspended",
        L.LeverageResumed m => $"Leverage {Leverage(p, m.LeverageId)} resumed",
        L.LeverageLifted m => $"Leverage {Leverage(p, m.LeverageId)} lifted ({m.Reason})",
        L.LeverageLapsed m => $"Leverage {Leverage(p, m.LeverageId)} lapsed at its legal end",
        L.LeverageReviewFellDue m => $"Review of leverage {Leverage(p, m.LeverageId)} fell due on {m.DueOn:yyyy-MM-dd}",
        L.LeverageFlaggedForReview m => $"Leverage {Leverage(p, m.LeverageId)} flagged for review: {m.Reason}",
        _ => message.GetType().Name,
    };

    private static string Title(CountryPicture p, string measureId) => p.Clocks.GetValueOrDefault($"measure/{measureId}")?.Title ?? measureId;

    private static string Facility(CountryPicture p, string id) => p.Facilities.GetValueOrDefault(id)?.Name ?? id;

    private static string Leverage(CountryPicture p, string id) => p.Leverages.GetValueOrDefault(id)?.Type ?? id;
}
