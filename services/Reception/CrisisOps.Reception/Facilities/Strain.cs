using CrisisOps.Legal;

namespace CrisisOps.Reception.Facilities;

/// <summary>How close reception is to being overwhelmed: an early-warning indicator for crisis declaration.</summary>
public enum StrainLevel { Normal = 1, Strained = 2, Overflow = 3 }

/// <summary>Occupancy rates (occupied / capacity) at which strain begins, as fractions.</summary>
public sealed record StrainThresholds(double Strained, double Overflow)
{
    public static readonly StrainThresholds Default = new(0.85, 1.0);

    public static double Rate(int occupied, int capacity) => capacity <= 0 ? 0 : (double)occupied / capacity;

    public StrainLevel LevelOf(int occupied, int capacity)
    {
        var rate = Rate(occupied, capacity);
        return rate >= Overflow ? StrainLevel.Overflow : rate >= Strained ? StrainLevel.Strained : StrainLevel.Normal;
    }

    /// <summary>
    /// Refuses thresholds that could never both be reached: places are never overbooked, so an overflow threshold
    /// above 100% would never fire.
    /// </summary>
    public StrainThresholds Validated(string field) =>
        Strained > 0 && Strained < Overflow && Overflow <= 1
            ? this
            : throw new InvalidFieldException(field, $"must satisfy 0 < strained < overflow <= 1 (got strained {Strained}, overflow {Overflow})");
}
