using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;

namespace CrisisOps.ServiceDefaults.Security;

/// <summary>
/// TLS on every endpoint a service binds outside loopback. The certificate comes from PEM files
/// (<c>Tls:CertificateFile</c>, <c>Tls:KeyFile</c>; in Kubernetes a cert-manager Secret mounted as files), or from
/// Kestrel's own <c>Kestrel:Certificates:Default</c>. An endpoint on a non-loopback address that is not https, or an
/// https one with no certificate, stops the start with a message saying what to set; <c>Tls:AllowPlaintext</c> lets
/// plaintext through where something else encrypts the wire (a service mesh's sidecar).
/// </summary>
public static class TransportSecurity
{
    /// <summary>PEM file of the service's certificate (its chain may follow it in the same file).</summary>
    public const string CertificateFileSetting = "Tls:CertificateFile";

    /// <summary>PEM file of the certificate's private key.</summary>
    public const string KeyFileSetting = "Tls:KeyFile";

    /// <summary>True to serve plaintext HTTP/2 outside loopback (behind a mesh that encrypts the wire).</summary>
    public const string AllowPlaintextSetting = "Tls:AllowPlaintext";

    /// <summary>PEM file of the CA this service trusts when it calls other services over https (the catch-up feeds).</summary>
    public const string CaFileSetting = "Tls:CaFile";

    /// <summary>HTTP/2 on every endpoint (ALPN h2 under TLS, h2c without), the certificate files, and the refusal of plaintext outside loopback.</summary>
    public static WebApplicationBuilder AddCrisisOpsTransportSecurity(this WebApplicationBuilder builder)
    {
        // Kestrel builds its options when the server starts, after every configuration source (tests' UseUrls, the
        // situation board's endpoints) is in: the addresses checked are the ones it is about to bind.
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var configuration = context.Configuration;
            kestrel.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2);
            var certificate = CertificateFiles.From(configuration);
            if (certificate is not null) kestrel.ConfigureHttpsDefaults(h => h.ServerCertificateSelector = (_, _) => certificate.Current);
            var refusal = Refusal(BoundAddresses(configuration),
                hasCertificate: certificate is not null || configuration.GetSection("Kestrel:Certificates:Default").Exists(),
                allowPlaintext: configuration.GetValue(AllowPlaintextSetting, false));
            if (refusal is not null) throw new InvalidOperationException(refusal);
        });
        return builder;
    }

    /// <summary>
    /// Why the service must not start on <paramref name="addresses"/>, or null when it may: plaintext outside
    /// loopback (unless allowed), or https without a certificate.
    /// </summary>
    public static string? Refusal(IEnumerable<string> addresses, bool hasCertificate, bool allowPlaintext)
    {
        foreach (var address in addresses)
        {
            var https = address.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            if (https && !hasCertificate)
                return $"{address} is https but no certificate is configured: set {CertificateFileSetting} and {KeyFileSetting} (PEM files).";
            if (!https && !allowPlaintext && !IsLoopback(address))
                return $"{address} would serve gRPC without TLS outside loopback: bind an https:// address and set "
                    + $"{CertificateFileSetting} and {KeyFileSetting} (PEM files), bind 127.0.0.1, or set {AllowPlaintextSetting}=true "
                    + "where a service mesh encrypts the wire.";
        }

        return null;
    }

    private static IEnumerable<string> BoundAddresses(IConfiguration configuration)
    {
        var urls = (configuration[WebHostDefaults.ServerUrlsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>();
        return urls.Concat(endpoints);
    }

    private static bool IsLoopback(string address)
    {
        // Kestrel's wildcards ("+", "*") are not valid URI hosts: they and every name but localhost bind all interfaces.
        var rest = address[(address.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var host = rest.StartsWith('[') ? rest[1..rest.IndexOf(']', StringComparison.Ordinal)] : rest.Split(':', '/')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>
    /// The PEM certificate and key, read again when the certificate file changes: cert-manager renews the Secret in
    /// place, and the next TLS handshake then presents the new certificate without a restart.
    /// </summary>
    private sealed class CertificateFiles(string certificateFile, string keyFile)
    {
        private readonly Lock _gate = new();
        private X509Certificate2? _current;
        private DateTime _loadedFrom;

        public static CertificateFiles? From(IConfiguration configuration)
        {
            var certificate = configuration[CertificateFileSetting];
            var key = configuration[KeyFileSetting];
            if (string.IsNullOrWhiteSpace(certificate) && string.IsNullOrWhiteSpace(key)) return null;
            if (string.IsNullOrWhiteSpace(certificate) || string.IsNullOrWhiteSpace(key))
                throw new InvalidOperationException($"{CertificateFileSetting} and {KeyFileSetting} go together: set both (PEM files) or neither.");
            var files = new CertificateFiles(certificate, key);
            // Read once now, so a missing or unreadable file stops the start instead of failing every handshake.
            _ = files.Current;
            return files;
        }

        public X509Certificate2 Current
        {
            get
            {
                var written = File.GetLastWriteTimeUtc(certificateFile);
                lock (_gate)
                {
                    if (_current is null || written != _loadedFrom)
                    {
                        try
                        {
                            _current = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
                        }
                        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
                        {
                            throw new InvalidOperationException($"The TLS certificate {certificateFile} with key {keyFile} could not be read: {ex.Message}", ex);
                        }

                        _loadedFrom = written;
                    }

                    return _current;
                }
            }
        }
    }
}
