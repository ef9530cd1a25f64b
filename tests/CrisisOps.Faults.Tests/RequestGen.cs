using System.Collections;
using CsCheck;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace CrisisOps.Faults.Tests;

/// <summary>
/// Values seen so far: a small vocabulary of plausible inputs, then every short string of every OK answer (ids,
/// codes, dates), so that later requests name things that exist, including things of another kind.
/// </summary>
public sealed class ValuePool
{
    private readonly List<string> _values =
        ["PL", "LT", "GR", "BY", "PL-BY", "2021-09-02", "2021-10-01", "2026-12-01", "2027-01-15", "PL-CONST-230", "IOM", "UNHCR", "ministry", "tents"];

    private readonly HashSet<string> _seen = [];

    public string Pick(int index) => _values[(int)((uint)index % (uint)_values.Count)];

    /// <summary>Keeps the short strings of an answer.</summary>
    public void Harvest(IMessage message, int depth = 0)
    {
        if (depth > 4) return;
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            IEnumerable<object?> values = field.IsRepeated && !field.IsMap ? ((IList)value).Cast<object?>() : field.IsMap ? [] : [value];
            foreach (var v in values.Take(20))
            {
                if (v is string { Length: > 0 and <= 100 } s && _seen.Add(s)) _values.Add(s);
                else if (v is IMessage m and not Timestamp) Harvest(m, depth + 1);
            }
        }
    }
}

/// <summary>
/// CsCheck generators of requests built from a message descriptor: each field drawn from boundary values (empty, huge,
/// control characters, unknown enum numbers, extreme and negative numbers, timestamps outside 0001-9999) and from
/// plausible ones (the <see cref="ValuePool"/>), nested messages to a few levels; and of malformed request bytes.
/// </summary>
public static class RequestGen
{
    private static readonly string Huge = new('x', 5_000);

    /// <summary>A field left unset (CsCheck's constants are never null).</summary>
    private static readonly Gen<object?> Unset = Gen.Int[0, 0].Select(object? (_) => null);

    public static Gen<IMessage> Message(MessageDescriptor descriptor, ValuePool pool, int depth = 0)
    {
        var fields = descriptor.Fields.InFieldNumberOrder().Where(f => !f.IsMap).ToList();
        var start = Gen.Const(Array.Empty<(FieldDescriptor, object?)>());
        var all = fields.Aggregate(start, (acc, field) =>
            acc.SelectMany(set => Field(field, pool, depth).Select(v => (FieldDescriptor: field, Value: v)).Select(p => (IEnumerable<(FieldDescriptor, object?)>)[.. set, p]).Select(e => e.ToArray())));
        return all.Select(values =>
        {
            var message = (IMessage)Activator.CreateInstance(descriptor.ClrType)!;
            foreach (var (field, value) in values) Set(message, field, value);
            return message;
        });
    }

    /// <summary>
    /// A known request of the type (a seed, or one answered OK earlier) with one field replaced by a generated value,
    /// under a fresh request id: mostly lawful requests, each wrong in one way at most.
    /// </summary>
    public static Gen<IMessage> Mutation(IReadOnlyList<IMessage> known, ValuePool pool)
    {
        var descriptor = known[0].Descriptor;
        var fields = descriptor.Fields.InFieldNumberOrder().Where(f => !f.IsMap).ToList();
        if (fields.Count == 0) return Gen.Int[0, known.Count - 1].Select(i => Copy(known[i]));
        return Gen.Select(Gen.Int[0, known.Count - 1], Gen.Int[0, fields.Count - 1].SelectMany(i => Field(fields[i], pool, 1).Select(v => (Field: fields[i], Value: v))),
            Gen.Guid, Gen.Int[0, 3], (which, change, id, keep) =>
            {
                var message = Copy(known[which]);
                var (field, value) = change;
                // One time in four the request is sent as known, with only its request id new.
                if (keep != 0)
                {
                    if (field.IsRepeated) ((IList)field.Accessor.GetValue(message)).Clear();
                    else field.Accessor.Clear(message);
                    Set(message, field, value);
                }

                descriptor.FindFieldByName("request_id")?.Accessor.SetValue(message, $"fuzz-{id:N}");
                return message;
            });
    }

    /// <summary>Bytes that do not parse as a message (truncated, a zero tag, invalid UTF-8, a wrong wire type), or random ones.</summary>
    public static Gen<byte[]> Malformed => Gen.Frequency(
        (3, Gen.OneOf<byte[]>([0x0A, 0xFF], [0x00], [0x0A, 0x02, 0xC3, 0x28], [0x0A, 0x05, 0x61], [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
            [0x0B], [0x0F, 0x01], [0x12, 0x80, 0x80, 0x80, 0x80, 0x10])),
        (1, Gen.Byte.Array[1, 64]));

    private static Gen<object?> Field(FieldDescriptor field, ValuePool pool, int depth)
    {
        var single = Single(field, pool, depth);
        if (!field.IsRepeated) return single;
        return single.Array[0, 3].Select(object? (a) => a);
    }

    private static Gen<object?> Single(FieldDescriptor field, ValuePool pool, int depth) => field.FieldType switch
    {
        FieldType.String when field.Name == "request_id" => Gen.Frequency(
            (8, Gen.Guid.Select(g => (object?)$"fuzz-{g:N}")),
            (1, Text(pool))),
        FieldType.String => Text(pool),
        FieldType.Bool => Gen.Bool.Select(b => (object?)b),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Gen.Frequency(
            (3, Gen.Int[-3, 400].Select(i => (object?)i)),
            (1, Gen.OneOf(int.MinValue, int.MaxValue, -1, 0, 1_000_000_000).Select(i => (object?)i))),
        FieldType.UInt32 or FieldType.Fixed32 => Gen.UInt.Select(i => (object?)i),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Gen.Frequency(
            (3, Gen.Long[-3, 50].Select(i => (object?)i)),
            (1, Gen.OneOf(long.MinValue, long.MaxValue, -1L).Select(i => (object?)i))),
        FieldType.UInt64 or FieldType.Fixed64 => Gen.ULong.Select(i => (object?)i),
        FieldType.Double => Gen.OneOf(Gen.Double, Gen.OneOf(double.NaN, double.PositiveInfinity, -1.0)).Select(d => (object?)d),
        FieldType.Float => Gen.OneOf(Gen.Float, Gen.OneOf(float.NaN, float.NegativeInfinity)).Select(d => (object?)d),
        FieldType.Bytes => Gen.Byte.Array[0, 16].Select(b => (object?)ByteString.CopyFrom(b)),
        FieldType.Enum => Gen.Frequency(
            (4, Gen.OneOf(field.EnumType.Values.Select(v => v.Number).ToArray()).Select(n => (object?)n)),
            (1, Gen.OneOf(99, -1, int.MaxValue).Select(n => (object?)n))),
        FieldType.Message when field.MessageType.FullName == Timestamp.Descriptor.FullName => Gen.Frequency(
            (3, Gen.Long[1_600_000_000, 1_900_000_000].Select(s => (object?)new Timestamp { Seconds = s })),
            (1, Gen.OneOf(
                new Timestamp { Seconds = 1_000_000_000_000 }, new Timestamp { Seconds = -1_000_000_000_000 },
                new Timestamp { Seconds = 0, Nanos = 2_000_000_000 }, new Timestamp { Seconds = 1_700_000_000, Nanos = -1 }).Select(t => (object?)t.Clone())),
            (1, Unset)),
        FieldType.Message when depth < 3 => Gen.Frequency(
            (3, Message(field.MessageType, pool, depth + 1).Select(m => (object?)m)),
            (1, Unset)),
        _ => Unset,
    };

    private static Gen<object?> Text(ValuePool pool) => Gen.Frequency(
        (5, Gen.Int.Select(i => (object?)pool.Pick(i))),
        (1, Gen.OneOf<object?>("", " ", Huge, "a\0b", "\u0007bell", "line\nbreak", "=cmd|' /C calc'!A0", "😀\u202Emirrored", "' or 1=1 --")),
        (1, Gen.String[0, 40].Select(s => (object?)s)));

    /// <summary>A deep copy of a message whose type is known only by its descriptor.</summary>
    public static IMessage Copy(IMessage message) => message.Descriptor.Parser.ParseFrom(message.ToByteString());

    private static void Set(IMessage message, FieldDescriptor field, object? value)
    {
        if (value is null) return;
        if (field.IsRepeated)
        {
            var list = (IList)field.Accessor.GetValue(message);
            foreach (var element in (Array)value)
            {
                if (element is not null) list.Add(Convert(field, element));
            }
        }
        else
        {
            field.Accessor.SetValue(message, Convert(field, value));
        }
    }

    private static object Convert(FieldDescriptor field, object value) =>
        field.FieldType == FieldType.Enum ? System.Enum.ToObject(field.EnumType.ClrType, (int)value) : value;
}
