using System.CommandLine;
using CrisisOps.Contracts;
using Spectre.Console;

namespace CrisisOps.Cli.Tokens;

/// <summary><c>crisisops token keygen</c> and <c>crisisops token mint</c>.</summary>
public static class TokenCommands
{
    public static Command Create() =>
        new("token", "Local ES256 signing keys and bearer tokens (development and demos; production uses an OIDC issuer).")
        {
            Keygen(),
            Mint(),
        };

    private static Command Keygen()
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Directory to write the key pair in (created if missing)", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing key pair" };
        var command = new Command("keygen",
            $"Creates an ECDSA P-256 key pair: {SigningKeys.PrivateKeyFileName} (private, PKCS#8, mode 600) and " +
            $"{SigningKeys.PublicKeyFileName} (public, for the services' Auth:SigningKeyFile).")
        {
            dir,
            force,
        };
        command.SetAction(result => CliErrors.Run(() =>
        {
            var files = SigningKeys.Generate(result.GetRequiredValue(dir).FullName, result.GetValue(force));
            AnsiConsole.MarkupLineInterpolated($"[green]private key[/] {files.PrivateKeyPath} (keep it; signs tokens)");
            AnsiConsole.MarkupLineInterpolated($"[green]public key[/]  {files.PublicKeyPath} (give it to the services as Auth:SigningKeyFile)");
        }));
        return command;
    }

    private static Command Mint()
    {
        var key = new Option<FileInfo>("--key") { Description = "Private key PEM (from token keygen)", Required = true };
        var role = new Option<string>("--role") { Description = "The bearer's role", Required = true };
        role.AcceptOnlyFromAmong([.. TokenContract.Roles]);
        var country = new Option<string?>("--country") { Description = "ISO 3166-1 alpha-2 country of a ministry (required for ministry, refused otherwise)" };
        var ministry = new Option<string?>("--ministry", "--organisation")
        {
            Description = "The ministry (ministry tokens), partner organisation (partner tokens, required) or EU institution (eu-institution tokens, required) the bearer speaks for, e.g. \"Ministry of Interior\", IOM or \"Council of the European Union\"",
        };
        var subject = new Option<string>("--subject") { Description = "Stable id of the bearer (the sub claim)", Required = true };
        var name = new Option<string?>("--name") { Description = "Display name (defaults to the subject)" };
        var hours = new Option<double>("--hours") { Description = "Lifetime in hours", DefaultValueFactory = _ => 8 };
        hours.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is not (> 0 and <= 720)) r.AddError("--hours must be more than 0 and at most 720");
        });
        var command = new Command("mint", "Prints one ES256 bearer token (iss crisisops-local, aud crisisops) signed with a local private key.")
        {
            key,
            role,
            country,
            ministry,
            subject,
            name,
            hours,
        };
        command.SetAction(result => CliErrors.Run(() =>
        {
            var request = new TokenRequest(result.GetRequiredValue(role), result.GetRequiredValue(subject), result.GetValue(name),
                result.GetValue(country), result.GetValue(ministry), TimeSpan.FromHours(result.GetValue(hours))).Validated();
            using var signingKey = SigningKeys.LoadPrivateKey(result.GetRequiredValue(key).FullName);
            Console.Out.WriteLine(new TokenMinter(signingKey).Mint(request, DateTimeOffset.UtcNow));
        }));
        return command;
    }
}
