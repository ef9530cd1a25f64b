using CrisisOps.Measures.Facts;
using CrisisOps.Measures.Measures;
using CrisisOps.ServiceDefaults.EventStore;
using Xunit;
using static CrisisOps.Measures.Tests.Samples;

namespace CrisisOps.Measures.Tests;

/// <summary>The state a measure stream keeps reads back as it was written, and decides as the state folded from its events.</summary>
public class KeptStateTests
{
    [Fact]
    public void An_extended_measure_reads_back_with_its_term_and_extends_as_the_folded_one_does()
    {
        var enacted = PolishStateOfEmergency();
        var extended = new MeasureSpec().Given(enacted).Single<MeasureExtended>(
            new ExtendMeasure(D(2021, 11, 30), "Sejm resolution of 30 Sep 2021", By(Poland, Sep2021.AddDays(28))));
        var folded = MeasureStream.Definition.Fold(null, [enacted, extended])!;

        var json = KeptState.Write(folded);
        var read = KeptState.Read<Measure>(json)!;

        Assert.Equal(json, KeptState.Write(read));
        Assert.Equal(folded.Term, read.Term);
        Assert.Equal(KeptState.Write(MeasureView.From(folded, 2)), KeptState.Write(MeasureView.From(read, 2)));
        var revoke = new RevokeMeasure(By(Poland, Sep2021.AddDays(40)));
        Assert.Equal(KeptState.Write(MeasureDecider.Decide(folded, revoke, Catalogue, LegalSituation.None)),
            KeptState.Write(MeasureDecider.Decide(read, revoke, Catalogue, LegalSituation.None)));
    }

    [Fact]
    public void The_view_of_a_measure_shows_what_was_enacted_and_how_it_was_extended()
    {
        var enacted = PolishStateOfEmergency();
        var extended = new MeasureSpec().Given(enacted).Single<MeasureExtended>(
            new ExtendMeasure(D(2021, 11, 30), "Sejm resolution of 30 Sep 2021", By(Poland, Sep2021.AddDays(28))));
        var view = MeasureView.From(MeasureStream.Definition.Fold(null, [enacted, extended])!, 2);

        Assert.Equal((enacted.LegalBasisCitation, enacted.LegalActReference, enacted.DecidingAuthority, enacted.Classification),
            (view.LegalBasisCitation, view.LegalActReference, view.DecidingAuthority, view.Classification));
        Assert.Equal((enacted.StartDate, extended.NewEndDate, extended.LegalMaxEnd, extended.ExpiresAt, 1),
            (view.StartDate, view.EndDate!.Value, view.LegalMaxEnd!.Value, view.ExpiresAt!.Value, view.ExtensionsUsed));
        Assert.Equal((enacted.MaxExtensions, enacted.ReviewDueAt, enacted.DependsOnEmergency), (view.MaxExtensions, view.ReviewDueAt, view.DependsOnEmergency));
    }
}
