using System.Security.Cryptography;

namespace CrisisOps.Cli.Tokens;

/// <summary>The two files of a local signing key pair.</summary>
/// <param name="PrivateKeyPath">PKCS#8 PEM, readable by its owner only; signs tokens.</param>
/// <param name="PublicKeyPath">SubjectPublicKeyInfo PEM; what services read from <c>Auth:SigningKeyFile</c>.</param>
public sealed record KeyPairFiles(string PrivateKeyPath, string PublicKeyPath);

/// <summary>ECDSA P-256 key pairs for locally signed ES256 tokens.</summary>
public static class SigningKeys
{
    public const string PrivateKeyFileName = "signing-key.pem";
    public const string PublicKeyFileName = "signing-key.pub.pem";

    // ES256 is ECDSA over P-256 (RFC 7518 §3.4): secp256r1 / prime256v1.
    private const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>Creates a key pair in <paramref name="directory"/>; refuses to replace one unless <paramref name="force"/>.</summary>
    public static KeyPairFiles Generate(string directory, bool force)
    {
        var files = new KeyPairFiles(Path.Combine(directory, PrivateKeyFileName), Path.Combine(directory, PublicKeyFileName));
        var existing = new[] { files.PrivateKeyPath, files.PublicKeyPath }.Where(File.Exists).ToList();
        if (existing.Count > 0 && !force)
            throw new CliException($"{string.Join(" and ", existing)} already exist{(existing.Count == 1 ? "s" : "")}; " +
                "pass --force to replace the key pair (tokens signed with the old key will no longer validate)");

        try
        {
            Directory.CreateDirectory(directory);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            WritePrivate(files.PrivateKeyPath, key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(files.PublicKeyPath, key.ExportSubjectPublicKeyInfoPem() + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write the key pair in {directory}: {ex.Message}");
        }

        return files;
    }

    /// <summary>Reads an ECDSA P-256 private key from PEM (PKCS#8 or SEC 1), or refuses with what is wrong.</summary>
    public static ECDsa LoadPrivateKey(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the signing key {path}: {ex.Message}");
        }

        var key = ECDsa.Create();
        string? problem;
        try
        {
            key.ImportFromPem(pem);
            var parameters = key.ExportParameters(includePrivateParameters: true);
            problem = parameters.Curve.Oid?.Value == P256Oid ? null : "is not a P-256 key (ES256 needs P-256)";
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            problem = $"is not an ECDSA private key in PEM ({ex.Message})";
        }

        if (problem is null) return key;
        key.Dispose();
        throw new CliException($"{path} {problem}; make a key pair with: crisisops token keygen --dir <dir>");
    }

    private static void WritePrivate(string path, string pem)
    {
        // Replace rather than rewrite in place: the new file is created owner-only, so the key is never readable by others.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(path, options))
        {
            writer.Write(pem);
            writer.Write('\n');
        }

        // The umask can only remove bits; this makes 600 exact whatever it is.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
