namespace CrisisOps.Reception.Facilities;

/// <summary>The categories places are counted in (Sahana-style shelter registries; APR Art. 53 groups need their own).</summary>
public enum Category { General, Families, UnaccompaniedMinors, SpecialNeeds }

/// <summary>Places, or people, counted per category. Aggregate figures only: never a person.</summary>
public sealed record Places(int General, int Families, int UnaccompaniedMinors, int SpecialNeeds)
{
    public static readonly Places None = new(0, 0, 0, 0);

    public static readonly IReadOnlyList<Category> Categories = Enum.GetValues<Category>();

    public int this[Category category] => category switch
    {
        Category.General => General,
        Category.Families => Families,
        Category.UnaccompaniedMinors => UnaccompaniedMinors,
        Category.SpecialNeeds => SpecialNeeds,
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };

    public int Total => General + Families + UnaccompaniedMinors + SpecialNeeds;

    public static Places Of(Func<Category, int> count) =>
        new(count(Category.General), count(Category.Families), count(Category.UnaccompaniedMinors), count(Category.SpecialNeeds));

    public Places Add(Places other) => Of(c => this[c] + other[c]);

    public Places Subtract(Places other) => Of(c => this[c] - other[c]);

    /// <summary>The categories in which this exceeds <paramref name="limit"/>.</summary>
    public IReadOnlyList<Category> Exceeding(Places limit) => [.. Categories.Where(c => this[c] > limit[c])];

    public static Places Sum(IEnumerable<Places> places) => places.Aggregate(None, (sum, p) => sum.Add(p));

    /// <summary>Category name → count, as the integration contracts carry them.</summary>
    public IReadOnlyDictionary<string, int> ToDictionary() => Categories.ToDictionary(c => c.ToString(), c => this[c]);

    /// <summary>"12 general, 3 families", or "none".</summary>
    public string Describe()
    {
        var parts = Categories.Where(c => this[c] != 0).Select(c => $"{this[c]} {Name(c)}").ToList();
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    /// <summary>Every category with its count, zeros included: "general 0, families 3, ...".</summary>
    public string DescribeAll() => string.Join(", ", Categories.Select(c => $"{Name(c)} {this[c]}"));

    public static string Name(Category category) => category switch
    {
        Category.General => "general",
        Category.Families => "families",
        Category.UnaccompaniedMinors => "unaccompanied minors",
        Category.SpecialNeeds => "special needs",
        _ => category.ToString(),
    };
}
