namespace CrisisOps.Legal.Law;

/// <summary>
/// The law CrisisOps decides with, one version: every legal basis, the measure types and the leverage types, read from
/// <c>law/</c>. <see cref="Version"/> is the SHA-256 of its canonical content (<see cref="Content"/>), so two
/// different catalogues can never carry one version. Services and the auditor read the same catalogue, by the same code.
/// </summary>
/// <param name="Version">The content hash, <c>sha256:…</c>: recorded on every decision taken under it.</param>
/// <param name="Content">The canonical content the version hashes (recorded once in each store that adopts it).</param>
/// <param name="Bases">Every legal basis.</param>
/// <param name="MeasureTypes">The emergency legal measures, each with its basis.</param>
/// <param name="LeverageTypes">The diplomatic leverages, each with its basis.</param>
public sealed record LegalCatalogue(
    string Version,
    string Content,
    IReadOnlyList<LegalBasis> Bases,
    IReadOnlyList<MeasureType> MeasureTypes,
    IReadOnlyList<LeverageType> LeverageTypes)
{
    /// <summary>The emergency basis with this code (a state of emergency or crisis authorisation), or a refusal naming the field.</summary>
    public LegalBasis Emergency(string code, string field = "legal_basis_code") =>
        Bases.FirstOrDefault(b => b.Code == code && b.DeclaresEmergency)
        ?? throw new InvalidFieldException(field, $"'{code}' is not an emergency legal basis of legal catalogue {Short}");

    /// <summary>The measure type with this code, or a refusal naming the field.</summary>
    public MeasureType Measure(string code, string field = "measure_type") =>
        MeasureTypes.FirstOrDefault(t => t.Code == code)
        ?? throw new InvalidFieldException(field, $"'{code}' is not a measure type of legal catalogue {Short}");

    /// <summary>The leverage type with this code, or a refusal naming the field.</summary>
    public LeverageType Leverage(string code, string field = "leverage_type") =>
        LeverageTypes.FirstOrDefault(t => t.Code == code)
        ?? throw new InvalidFieldException(field, $"'{code}' is not a leverage type of legal catalogue {Short}");

    /// <summary>The version's first 12 hexadecimal digits, for messages.</summary>
    public string Short => Version.Length > 19 ? Version[..19] : Version;
}
