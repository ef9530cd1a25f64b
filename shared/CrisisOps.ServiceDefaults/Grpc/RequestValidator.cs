using System.Collections;
using System.Globalization;
using CrisisOps.Legal;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace CrisisOps.ServiceDefaults.Grpc;

/// <summary>
/// Checks a request against <see cref="FieldLimits"/> by walking its proto descriptor: every string (length, control
/// characters), every repeated field (size), every enum (a value the contract knows), every timestamp (inside the
/// range protobuf can represent), and the write-command fields that are required. The first fault found is refused
/// with <see cref="InvalidFieldException"/> naming the field path (<c>perpetrator.name</c>, <c>border_sections[2]</c>).
/// </summary>
public static class RequestValidator
{
    /// <summary>0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range of <see cref="Timestamp"/>.</summary>
    public const long MinTimestampSeconds = -62_135_596_800;

    /// <inheritdoc cref="MinTimestampSeconds"/>
    public const long MaxTimestampSeconds = 253_402_300_799;

    /// <summary>Refuses the first field at fault; returns when the request is within every limit.</summary>
    public static void Validate(IMessage request)
    {
        var descriptor = request.Descriptor;
        foreach (var name in FieldLimits.RequiredOnWrites)
        {
            if (descriptor.FindFieldByName(name) is not { FieldType: FieldType.String, IsRepeated: false } field) continue;
            if (name == "justification" && FieldLimits.OptionalJustification.Contains(descriptor.FullName)) continue;
            if (string.IsNullOrWhiteSpace((string)field.Accessor.GetValue(request))) throw new InvalidFieldException(name, "is required");
        }

        Walk(request, "", 0);
    }

    private static void Walk(IMessage message, string prefix, int depth)
    {
        if (depth > FieldLimits.MaxDepth) throw new InvalidFieldException(prefix.TrimEnd('.'), $"nests deeper than {FieldLimits.MaxDepth} levels");
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var path = prefix + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                var map = (IDictionary)value;
                if (map.Count > FieldLimits.MaxRepeated) throw new InvalidFieldException(path, $"has more than {FieldLimits.MaxRepeated} entries");
                var valueField = field.MessageType.FindFieldByNumber(2);
                foreach (DictionaryEntry entry in map)
                {
                    var entryPath = $"{path}[{entry.Key}]";
                    if (entry.Key is string key) CheckString(key, entryPath, field.Name);
                    CheckSingle(valueField, entry.Value, entryPath, depth);
                }
            }
            else if (field.IsRepeated)
            {
                var list = (IList)value;
                if (list.Count > FieldLimits.MaxRepeated) throw new InvalidFieldException(path, $"has more than {FieldLimits.MaxRepeated} elements");
                for (var i = 0; i < list.Count; i++) CheckSingle(field, list[i], $"{path}[{i}]", depth, field.Name);
            }
            else
            {
                CheckSingle(field, value, path, depth);
            }
        }
    }

    private static void CheckSingle(FieldDescriptor field, object? value, string path, int depth, string? limitName = null)
    {
        switch (field.FieldType)
        {
            case FieldType.String:
                CheckString((string?)value ?? "", path, limitName ?? field.Name);
                break;
            case FieldType.Enum:
                var number = Convert.ToInt32(value, CultureInfo.InvariantCulture);
                if (field.EnumType.FindValueByNumber(number) is null)
                    throw new InvalidFieldException(path, $"{number} is not a value of {field.EnumType.Name}");
                break;
            case FieldType.Message or FieldType.Group when value is IMessage nested:
                if (nested is Timestamp t) CheckTimestamp(t, path);
                else Walk(nested, path + ".", depth + 1);
                break;
        }
    }

    private static void CheckString(string value, string path, string name)
    {
        var max = FieldLimits.MaxLength(name);
        if (value.Length > max) throw new InvalidFieldException(path, $"is longer than {max} characters");
        for (var i = 0; i < value.Length; i++)
        {
            // Tabs and line breaks are text; every other control character (NUL above all: PostgreSQL refuses it in
            // text and jsonb with 22021) is not, and would only reach the store to fail there.
            var c = value[i];
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
                throw new InvalidFieldException(path, $"contains the control character U+{(int)c:X4} at position {i}");
        }
    }

    private static void CheckTimestamp(Timestamp t, string path)
    {
        if (t.Seconds is < MinTimestampSeconds or > MaxTimestampSeconds)
            throw new InvalidFieldException(path, $"seconds {t.Seconds} is outside 0001-01-01..9999-12-31 ({MinTimestampSeconds}..{MaxTimestampSeconds})");
        if (t.Nanos is < 0 or > 999_999_999)
            throw new InvalidFieldException(path, $"nanos {t.Nanos} is outside 0..999999999");
    }
}
