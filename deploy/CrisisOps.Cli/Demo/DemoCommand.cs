using System.CommandLine;
using CrisisOps.Cli.Tokens;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Humanitarian.Grpc.V1;
using CrisisOps.Leverages.Grpc.V1;
using CrisisOps.Measures.Grpc.V1;
using CrisisOps.Reception.Grpc.V1;
using CrisisOps.ServiceDefaults.Security;

namespace CrisisOps.Cli.Demo;

/// <summary>
/// <c>crisisops demo</c>: replays a short sample crisis against running declaration, measures, leverages, reception and
/// humanitarian services.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var endpoint = new Option<string>("--endpoint")
        {
            Description = "Address of the declaration service (http:// speaks plaintext HTTP/2, h2c; https:// TLS, see --ca)",
            DefaultValueFactory = _ => "http://127.0.0.1:5101",
        };
        endpoint.Validators.Add(r =>
        {
            if (ParseEndpoint(r.GetValueOrDefault<string>()) is null)
                r.AddError("--endpoint must be an absolute http:// or https:// address, e.g. http://127.0.0.1:5101");
        });
        var measuresEndpoint = new Option<string>("--measures-endpoint")
        {
            Description = "Address of the emergency legal measures service (http:// speaks plaintext HTTP/2, h2c; https:// TLS, see --ca)",
            DefaultValueFactory = _ => "http://127.0.0.1:5102",
        };
        measuresEndpoint.Validators.Add(r =>
        {
            if (ParseEndpoint(r.GetValueOrDefault<string>()) is null)
                r.AddError("--measures-endpoint must be an absolute http:// or https:// address, e.g. http://127.0.0.1:5102");
        });
        var leveragesEndpoint = new Option<string>("--leverages-endpoint")
        {
            Description = "Address of the diplomatic leverages service (http:// speaks plaintext HTTP/2, h2c; https:// TLS, see --ca)",
            DefaultValueFactory = _ => "http://127.0.0.1:5105",
        };
        leveragesEndpoint.Validators.Add(r =>
        {
            if (ParseEndpoint(r.GetValueOrDefault<string>()) is null)
                r.AddError("--leverages-endpoint must be an absolute http:// or https:// address, e.g. http://127.0.0.1:5105");
        });
        var receptionEndpoint = new Option<string>("--reception-endpoint")
        {
            Description = "Address of the reception capacity service (http:// speaks plaintext HTTP/2, h2c; https:// TLS, see --ca)",
            DefaultValueFactory = _ => "http://127.0.0.1:5103",
        };
        receptionEndpoint.Validators.Add(r =>
        {
            if (ParseEndpoint(r.GetValueOrDefault<string>()) is null)
                r.AddError("--reception-endpoint must be an absolute http:// or https:// address, e.g. http://127.0.0.1:5103");
        });
        var humanitarianEndpoint = new Option<string>("--humanitarian-endpoint")
        {
            Description = "Address of the humanitarian support service (http:// speaks plaintext HTTP/2, h2c; https:// TLS, see --ca)",
            DefaultValueFactory = _ => "http://127.0.0.1:5104",
        };
        humanitarianEndpoint.Validators.Add(r =>
        {
            if (ParseEndpoint(r.GetValueOrDefault<string>()) is null)
                r.AddError("--humanitarian-endpoint must be an absolute http:// or https:// address, e.g. http://127.0.0.1:5104");
        });
        var key = new Option<FileInfo>("--key")
        {
            Description = "Private key PEM the services trust (its public half is their Auth:SigningKeyFile); the demo mints its tokens with it",
            Required = true,
        };
        var ca = new Option<FileInfo?>("--ca")
        {
            Description = "PEM file of the CA that signed the services' TLS certificates (https:// endpoints); without it the machine's trust store decides",
        };
        ca.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<FileInfo?>() is { Exists: false } file) r.AddError($"--ca {file.FullName}: no such file");
        });
        var command = new Command("demo",
            "Replays a sample crisis (Poland, PL-BY border, 2021 pattern, dates from today) through the public gRPC APIs: " +
            "crisis declaration, then the emergency legal measures taken for that crisis, then a diplomatic leverage against a carrier, " +
            "lifted by itself when the crisis de-escalates, then reception capacity near the border filled to strain and overflow " +
            "(aggregate counts only), and humanitarian support: the emergency-shelter request the overflow opens, needs, a request " +
            "for assistance, a partner's pledge and partial delivery, and who does what where. " +
            "Exit code 0 when every step had its expected outcome, the legal refusals included.")
        {
            endpoint,
            measuresEndpoint,
            leveragesEndpoint,
            receptionEndpoint,
            humanitarianEndpoint,
            key,
            ca,
        };
        command.SetAction((result, ct) => CliErrors.RunAsync(async () =>
        {
            var address = ParseEndpoint(result.GetRequiredValue(endpoint))!;
            var measuresAddress = ParseEndpoint(result.GetRequiredValue(measuresEndpoint))!;
            var leveragesAddress = ParseEndpoint(result.GetRequiredValue(leveragesEndpoint))!;
            var receptionAddress = ParseEndpoint(result.GetRequiredValue(receptionEndpoint))!;
            var humanitarianAddress = ParseEndpoint(result.GetRequiredValue(humanitarianEndpoint))!;
            DemoView.UsePlainTextWhenRedirected();
            using var signingKey = SigningKeys.LoadPrivateKey(result.GetRequiredValue(key).FullName);
            var caFile = result.GetValue(ca)?.FullName;
            using var channel = TrustedChannel.ForAddress(address, caFile);
            using var measuresChannel = TrustedChannel.ForAddress(measuresAddress, caFile);
            using var leveragesChannel = TrustedChannel.ForAddress(leveragesAddress, caFile);
            using var receptionChannel = TrustedChannel.ForAddress(receptionAddress, caFile);
            using var humanitarianChannel = TrustedChannel.ForAddress(humanitarianAddress, caFile);
            var runner = new DemoRunner(new CrisisDeclaration.CrisisDeclarationClient(channel),
                new EmergencyMeasures.EmergencyMeasuresClient(measuresChannel),
                new DiplomaticLeverages.DiplomaticLeveragesClient(leveragesChannel),
                new ReceptionCapacity.ReceptionCapacityClient(receptionChannel),
                new HumanitarianSupport.HumanitarianSupportClient(humanitarianChannel), new TokenMinter(signingKey), TimeProvider.System,
                address, measuresAddress, leveragesAddress, receptionAddress, humanitarianAddress);
            return await runner.RunAsync(ct) ? 0 : CliErrors.Failure;
        }));
        return command;
    }

    private static Uri? ParseEndpoint(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;
}
