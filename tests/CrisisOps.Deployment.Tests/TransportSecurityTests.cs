extern alias declaration;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrisisOps.HealthProbe;
using CrisisOps.ServiceDefaults.Security;
using CrisisOps.Testing;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Xunit;
using DeclarationService = declaration::CrisisOps.Declaration.DeclarationService;

namespace CrisisOps.Deployment.Tests;

/// <summary>TLS on the gRPC endpoints: certificates from PEM files, HTTP/2 by ALPN, plaintext refused outside loopback.</summary>
public sealed class TransportSecurityTests : ServiceStack, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("crisisops-tls-").FullName;

    [Fact]
    public async Task A_service_with_certificate_files_answers_health_over_https_with_h2_and_only_to_clients_that_trust_its_CA()
    {
        var (certificateFile, keyFile) = SelfSignedCertificate();
        var settings = TestSettings.For(Infra, Tokens, TestSettings.NewSchema("tls"));
        settings[TransportSecurity.CertificateFileSetting] = certificateFile;
        settings[TransportSecurity.KeyFileSetting] = keyFile;
        var app = DeclarationService.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(settings);
            b.WebHost.UseUrls("https://127.0.0.1:0");
        });
        await app.StartAsync();
        var address = new Uri(app.Urls.Single());
        try
        {
            Assert.Equal("https", address.Scheme);

            // ALPN: the server chooses h2 from what a client offers.
            using (var served = X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile)))
            using (var tcp = new TcpClient())
            {
                await tcp.ConnectAsync(IPAddress.Loopback, address.Port);
                await using var tls = new SslStream(tcp.GetStream());
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    ApplicationProtocols = [SslApplicationProtocol.Http11, SslApplicationProtocol.Http2],
                    // Pinned: the one certificate the service was given.
                    RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == served.Thumbprint,
                });
                Assert.Equal(SslApplicationProtocol.Http2, tls.NegotiatedApplicationProtocol);
            }

            // A client given the CA file: the health check answers over TLS.
            using (var trusting = TrustedChannel.ForAddress(address, certificateFile))
            {
                var health = await new Health.HealthClient(trusting).CheckAsync(new HealthCheckRequest());
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
            }

            // The container's health probe (the image's HEALTHCHECK, Kubernetes' exec probes) over the same TLS port.
            Assert.Equal(0, await Probe.RunAsync([address.ToString()], _ => null, TextWriter.Null));

            // A client that does not trust the certificate (the machine's store alone) cannot call at all.
            using (var untrusting = GrpcChannel.ForAddress(address))
            {
                var refused = await Assert.ThrowsAsync<RpcException>(async () =>
                    await new Health.HealthClient(untrusting).CheckAsync(new HealthCheckRequest()));
                Assert.IsType<AuthenticationException>(refused.Status.DebugException?.InnerException);
            }

            // Nor one that trusts another CA.
            var (otherAuthority, _) = SelfSignedCertificate();
            using (var other = TrustedChannel.ForAddress(address, otherAuthority))
            {
                var refused = await Assert.ThrowsAsync<RpcException>(async () =>
                    await new Health.HealthClient(other).CheckAsync(new HealthCheckRequest()));
                Assert.IsType<AuthenticationException>(refused.Status.DebugException?.InnerException);
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        // Stopped: the probe reports it.
        Assert.Equal(1, await Probe.RunAsync([address.ToString()], _ => null, TextWriter.Null));
    }

    [Fact]
    public async Task A_service_bound_outside_loopback_without_a_certificate_refuses_to_start_and_says_what_to_set()
    {
        var settings = TestSettings.For(Infra, Tokens, TestSettings.NewSchema("tlsoff"));
        // Refused while the host is built or started, whichever reads Kestrel's options first: before anything listens.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            var app = DeclarationService.Build([], b =>
            {
                b.Configuration.AddInMemoryCollection(settings);
                b.WebHost.UseUrls("http://0.0.0.0:0");
            });
            try
            {
                await app.StartAsync();
            }
            finally
            {
                await app.DisposeAsync();
            }
        });
        Assert.Contains("http://0.0.0.0:0", refused.Message, StringComparison.Ordinal);
        Assert.Contains(TransportSecurity.CertificateFileSetting, refused.Message, StringComparison.Ordinal);
        Assert.Contains(TransportSecurity.AllowPlaintextSetting, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5101", false, false, true)]
    [InlineData("http://localhost:5101", false, false, true)]
    [InlineData("http://[::1]:5101", false, false, true)]
    [InlineData("http://+:8080", false, false, false)]
    [InlineData("http://*:8080", false, false, false)]
    [InlineData("http://[::]:8080", false, false, false)]
    [InlineData("http://crisisops-declaration:8080", false, false, false)]
    [InlineData("http://+:8080", false, true, true)]
    [InlineData("http://+:8080", true, false, false)]
    [InlineData("https://+:8443", true, false, true)]
    [InlineData("https://+:8443", false, true, false)]
    public void Plaintext_is_refused_outside_loopback_unless_allowed_and_https_needs_a_certificate(
        string address, bool hasCertificate, bool allowPlaintext, bool starts) =>
        Assert.Equal(starts, TransportSecurity.Refusal([address], hasCertificate, allowPlaintext) is null);

    [Theory]
    [InlineData("https://+:8443", "https://127.0.0.1:8443")]
    [InlineData("http://*:8080;https://+:8443", "http://127.0.0.1:8080")]
    [InlineData("http://[::]:8080", "http://127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:5101", "http://127.0.0.1:5101")]
    public void The_probe_checks_the_first_address_the_service_binds_from_inside_its_container(string urls, string probed) =>
        Assert.Equal(probed, Probe.LocalAddress(urls));

    [Fact]
    public async Task The_probe_refuses_an_address_outside_loopback() =>
        Assert.Equal(2, await Probe.RunAsync(["https://crisisops-declaration:8443"], _ => null, TextWriter.Null));

    /// <summary>A self-signed server certificate for localhost and 127.0.0.1, as PEM files; it is its own CA.</summary>
    private (string Certificate, string Key) SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=crisisops-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var name = Guid.NewGuid().ToString("N")[..8];
        var certificateFile = Path.Combine(_folder, $"{name}.crt");
        var keyFile = Path.Combine(_folder, $"{name}.key");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
