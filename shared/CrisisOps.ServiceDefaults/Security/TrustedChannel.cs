using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace CrisisOps.ServiceDefaults.Security;

/// <summary>
/// gRPC channels that trust a named CA: the services' certificates are signed by the deployment's own CA (cert-manager's
/// issuer), which the machine's trust store does not hold. Also compiled into the CLI (linked), which has no other use
/// for ServiceDefaults.
/// </summary>
public static class TrustedChannel
{
    /// <summary>
    /// A channel to <paramref name="address"/>: with <paramref name="caFile"/> (PEM, one or more CA certificates), an
    /// https server must present a certificate for its host name that chains to one of them, and to nothing else;
    /// without it, the machine's trust store decides (and http:// is plaintext HTTP/2).
    /// </summary>
    public static GrpcChannel ForAddress(Uri address, string? caFile)
    {
        if (string.IsNullOrWhiteSpace(caFile)) return GrpcChannel.ForAddress(address);
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caFile);
        if (authorities.Count == 0) throw new InvalidOperationException($"{caFile} holds no PEM certificate");
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(authorities, certificate, errors) },
        };
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <inheritdoc cref="ForAddress(Uri, string?)"/>
    public static GrpcChannel ForAddress(string address, string? caFile) => ForAddress(new Uri(address), caFile);

    private static bool ChainsTo(X509Certificate2Collection authorities, X509Certificate? presented, SslPolicyErrors errors)
    {
        // The host name check stands whatever the CA: only the chain's root is ours to decide.
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        // A private CA publishes no revocation list the services could reach; cert-manager's short lifetimes stand in.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = new X509Certificate2(presented);
        return chain.Build(certificate);
    }
}
