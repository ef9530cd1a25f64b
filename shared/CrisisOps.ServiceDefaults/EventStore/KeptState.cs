using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>
/// How the state a stream keeps (<see cref="StreamHead"/>) is written and read back: JSON of the state record itself,
/// with NodaTime's own converters and composite dictionary keys, and a shape that tells a state written by an older
/// record (a field added or renamed since) from one this build can read.
/// </summary>
public static class KeptState
{
    /// <summary>
    /// The serializer of kept states. Its own options, not Marten's: the state records hold NodaTime values and
    /// dictionaries keyed by tuples, which the events never do, and the events' JSON (which their hashes cover) must
    /// not change for the states' sake.
    /// </summary>
    public static readonly JsonSerializerOptions Options = Create();

    private static readonly ConcurrentDictionary<Type, string> Shapes = new();

    /// <summary>The JSON of <paramref name="state"/>.</summary>
    public static string Write<TState>(TState state) => JsonSerializer.Serialize(state, Options);

    /// <summary>The state written by <see cref="Write{TState}"/>.</summary>
    public static TState? Read<TState>(string json) => JsonSerializer.Deserialize<TState>(json, Options);

    /// <summary>
    /// The kind and shape of <typeparamref name="TState"/>: its name and a hash of every member it and the records it
    /// holds serialize, so that a kept state whose record has changed since is folded again from the events instead of
    /// read back with a field missing.
    /// </summary>
    public static string ShapeOf<TState>() => Shapes.GetOrAdd(typeof(TState), static type =>
    {
        var description = new StringBuilder();
        Describe(type, description, []);
        return $"{type.FullName}@{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description.ToString())))[..16]}";
    });

    private static void Describe(Type type, StringBuilder into, HashSet<Type> seen)
    {
        into.Append(type.FullName ?? type.Name).Append('{');
        foreach (var argument in type.GetGenericArguments()) Describe(argument, into, seen);
        if (Nullable.GetUnderlyingType(type) is null && type.Namespace?.StartsWith("System", StringComparison.Ordinal) != true
            && type.Namespace?.StartsWith("NodaTime", StringComparison.Ordinal) != true && seen.Add(type))
        {
            if (type.IsEnum) into.AppendJoin(',', Enum.GetNames(type));
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                         .Where(p => p.GetIndexParameters().Length == 0).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                into.Append(property.Name).Append(':');
                Describe(property.PropertyType, into, seen);
            }
        }

        into.Append('}');
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            // Tuple keys (BorderWatch's (group, kind)) are value tuples: fields, not properties.
            IncludeFields = true,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new PairListDictionaryConverter());
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// Immutable dictionaries whose keys JSON cannot name (tuples, records) as a list of key/value pairs;
    /// System.Text.Json writes only string-like keys as property names.
    /// </summary>
    private sealed class PairListDictionaryConverter : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) =>
            typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ImmutableDictionary<,>)
            && !NamedByJson(typeToConvert.GetGenericArguments()[0]);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(
                typeof(PairList<,>).MakeGenericType(typeToConvert.GetGenericArguments()))!;

        private static bool NamedByJson(Type key) =>
            key == typeof(string) || key.IsEnum || key.IsPrimitive || key == typeof(Guid) || key == typeof(decimal)
            || key == typeof(DateTime) || key == typeof(DateTimeOffset) || key == typeof(DateOnly);

        private sealed class PairList<TKey, TValue> : JsonConverter<ImmutableDictionary<TKey, TValue>>
            where TKey : notnull
        {
            public override ImmutableDictionary<TKey, TValue> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                (JsonSerializer.Deserialize<List<Pair>>(ref reader, options) ?? []).ToImmutableDictionary(p => p.Key, p => p.Value);

            public override void Write(Utf8JsonWriter writer, ImmutableDictionary<TKey, TValue> value, JsonSerializerOptions options) =>
                JsonSerializer.Serialize(writer, value.Select(p => new Pair(p.Key, p.Value)).ToList(), options);

            private sealed record Pair(TKey Key, TValue Value);
        }
    }
}
