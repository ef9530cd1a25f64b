namespace CrisisOps.Situation.Board;

/// <summary>
/// The board's own HTTP/1.1 endpoint beside the gRPC one: browsers do not speak HTTP/2 without TLS, and gRPC without
/// TLS speaks nothing else, so one port cannot serve both. <c>Board:Url</c> names it (run.sh: http://127.0.0.1:5108);
/// without it the service serves gRPC only.
/// </summary>
public static class BoardEndpoint
{
    public static void Configure(WebApplicationBuilder builder)
    {
        if (builder.Configuration["Board:Url"] is not { Length: > 0 } board) return;
        if (builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any()) return;
        var grpc = (builder.Configuration["urls"] ?? builder.Configuration["ASPNETCORE_URLS"] ?? "http://127.0.0.1:5107").Split(';')[0];
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Grpc:Url"] = grpc,
            ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:Board:Url"] = board,
            ["Kestrel:Endpoints:Board:Protocols"] = "Http1",
        });
    }
}
