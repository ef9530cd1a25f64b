using System.Globalization;
using System.Text.Json.Nodes;
using CrisisOps.Testing;
using Json.Schema;
using k8s;
using YamlDotNet.RepresentationModel;

namespace CrisisOps.Deployment.Tests;

/// <summary>
/// Kubernetes manifests as the API server would read them, offline: built-in kinds strictly into the API models
/// (KubernetesClient, generated from the Kubernetes OpenAPI: an unknown, misspelt or mistyped field fails), the
/// operators' resources against their CRD schemas vendored in k8s/schemas (&lt;group&gt;/&lt;kind&gt;_&lt;version&gt;.json).
/// </summary>
public static class Manifests
{
    private static readonly string Schemas = Repository.File("k8s/schemas");

    /// <summary><c>kubectl kustomize</c> of a folder (the kustomize built into kubectl; the law lives outside k8s/).</summary>
    public static async Task<string> BuildAsync(string kustomization)
    {
        var result = await NodeKit.RunAsync("kubectl", ["kustomize", "--load-restrictor", "LoadRestrictionsNone", Repository.File(kustomization)],
            Repository.Root, TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0) throw new InvalidOperationException($"kubectl kustomize {kustomization} failed: {result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>The documents of a YAML stream, each as JSON; anchors, aliases and merge keys (<c>&lt;&lt;:</c>) resolved.</summary>
    public static IReadOnlyList<JsonObject> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new YamlDotNet.Core.MergingParser(new YamlDotNet.Core.Parser(new StringReader(yaml))));
        return [.. stream.Documents.Where(d => d.RootNode is YamlMappingNode).Select(d => (JsonObject)ToJson(d.RootNode)!)];
    }

    /// <summary>What is wrong with each document (empty: every one is valid).</summary>
    public static IReadOnlyList<string> Problems(IEnumerable<JsonObject> documents) =>
        [.. documents.SelectMany(d => Problems(d).Select(p => $"{d["kind"]} {d["metadata"]?["name"]}: {p}"))];

    private static IEnumerable<string> Problems(JsonObject document)
    {
        var apiVersion = document["apiVersion"]?.GetValue<string>() ?? "";
        var kind = document["kind"]?.GetValue<string>() ?? "";
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        if (group.Length == 0 || group.EndsWith(".k8s.io", StringComparison.Ordinal) || !group.Contains('.', StringComparison.Ordinal))
        {
            string? problem = null;
            try
            {
                var loaded = KubernetesYaml.LoadAllFromString(document.ToJsonString(), strict: true);
                if (loaded.Count != 1) problem = $"read as {loaded.Count} objects";
            }
            catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException or System.Text.Json.JsonException)
            {
                problem = (ex.InnerException ?? ex).Message;
            }

            if (problem is not null) yield return problem;
            yield break;
        }

        var version = apiVersion[(slash + 1)..];
        var file = Path.Combine(Schemas, group, $"{kind.ToLowerInvariant()}_{version}.json");
        if (!File.Exists(file))
        {
            yield return $"no schema for {apiVersion} {kind} in k8s/schemas";
            yield break;
        }

        var result = JsonSchema.FromText(File.ReadAllText(file)).Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) yield break;
        foreach (var detail in result.Details.Where(d => d.HasErrors))
            foreach (var (_, error) in detail.Errors!)
                yield return $"{detail.InstanceLocation}: {error}";
    }

    /// <summary>YAML as JSON, plain scalars typed as YAML 1.2's core schema reads them (quoted ones stay strings).</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: var v } => v switch
        {
            null or "" or "~" or "null" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(v),
        },
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => null,
    };
}
