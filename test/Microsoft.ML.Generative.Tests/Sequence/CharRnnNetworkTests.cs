using Microsoft.ML.Generative.Sequence;
using TorchSharp;
using Microsoft.ML.Generative.Tests.Infrastructure;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Sequence;

/// <summary>The char-RNN network and exact row scoring, away from ML.NET.</summary>
public class CharRnnNetworkTests
{
    private static CharRnnNetwork Network(CharRnnCellType cell, CharRnnInitialState initial = CharRnnInitialState.Zeros, int conditionSize = 0, int seed = 1)
    {
        random.manual_seed(seed);
        var network = new CharRnnNetwork(new CharRnnArchitecture
        {
            VocabularySize = 12, EmbeddingSize = 5, HiddenSize = 7, Layers = 2, CellType = cell, Dropout = 0.1f,
            InitialState = initial, ConditionSize = conditionSize,
        });
        network.eval();
        return network;
    }

    private static int[][] RandomRows(int seed, params int[] lengths)
    {
        var rng = new Random(seed);
        return lengths.Select(n => Enumerable.Range(0, n).Select(_ => rng.Next(2, 12)).ToArray()).ToArray();
    }

    [Theory]
    [InlineData(CharRnnCellType.Lstm)]
    [InlineData(CharRnnCellType.Gru)]
    [InlineData(CharRnnCellType.Vanilla)]
    public void NllGradientIsFiniteAndReachesEveryParameter(CharRnnCellType cell)
    {
        using var network = Network(cell, CharRnnInitialState.Learned);
        network.train();
        using var scope = NewDisposeScope();
        var ids = randint(0, 12, new long[] { 4, 9 }, dtype: int64);
        var targets = randint(0, 12, new long[] { 4 * 9 }, dtype: int64);
        var (logits, _, _) = network.Run(ids, network.InitialState(4));
        var loss = nn.functional.cross_entropy(logits.reshape(36, -1), targets);
        loss.backward();
        Assert.True(float.IsFinite(loss.item<float>()));
        foreach (var (name, p) in network.named_parameters())
        {
            Assert.NotNull(p.grad);
            Assert.True(p.grad.isfinite().all().item<bool>(), $"{name}: non-finite gradient");
            Assert.True(p.grad.abs().sum().item<float>() > 0, $"{name}: zero gradient");
        }
    }

    [Theory]
    [InlineData(CharRnnCellType.Lstm)]
    [InlineData(CharRnnCellType.Gru)]
    [InlineData(CharRnnCellType.Vanilla)]
    public void RowLikelihoodEqualsTheChainRuleComputedStepByStep(CharRnnCellType cell)
    {
        using var network = Network(cell);
        var rows = RandomRows(3, 0, 1, 6, 13);
        var ll = new double[rows.Length];
        var perPosition = new float[rows.Length][];
        RowLikelihood.Score(network, rows, null, 512, ll, null, perPosition);
        using var noGrad = no_grad();
        for (int r = 0; r < rows.Length; r++)
        {
            // p(row) = p(x1 | start) p(x2 | start, x1) ... p(end | start, x1..xn), one character per call.
            using var scope = NewDisposeScope();
            var state = network.InitialState(1);
            double expected = 0;
            long input = CharVocabulary.BoundaryId;
            var sequence = rows[r].Append(CharVocabulary.BoundaryId).ToArray();
            for (int k = 0; k < sequence.Length; k++)
            {
                var (logits, _, next) = network.Run(tensor(new[] { input }, new long[] { 1, 1 }), state);
                state = next;
                double lp = nn.functional.log_softmax(logits[0, 0].to(float64), 0)[sequence[k]].item<double>();
                // A batch of rows in one call against one step at a time, float32 logits of a few nats: rounding of
                // about 1e-7 of them.
                AssertClose.Relative(lp, perPosition[r][k], 1e-5, $"row {r}, position {k}: log-probability in a batch vs step by step", magnitude: 1);
                expected += lp;
                input = sequence[k];
            }
            // A sum of log-probabilities, all <= 0: |expected| is the sum of the terms' sizes.
            AssertClose.Relative(expected, ll[r], 1e-5, $"row {r}: log-likelihood in a batch vs the chain rule step by step");
        }
    }

    [Fact]
    public void ARowsScoreDoesNotDependOnTheOtherRowsInItsBatch()
    {
        using var network = Network(CharRnnCellType.Lstm);
        var rows = RandomRows(5, 40, 3, 0, 17, 29, 1);
        var together = new double[rows.Length];
        RowLikelihood.Score(network, rows, null, 8, together, null);
        for (int r = 0; r < rows.Length; r++)
        {
            var alone = new double[1];
            RowLikelihood.Score(network, new[] { rows[r] }, null, 8, alone, null);
            AssertClose.Relative(alone[0], together[r], 1e-5, $"row {r}: log-likelihood alone vs in a batch");
        }
    }

    [Fact]
    public void ChunkedScoringOfLongRowsEqualsOneCall()
    {
        using var network = Network(CharRnnCellType.Gru);
        var rows = RandomRows(7, 300, 45, 2);
        var whole = new double[3];
        var wholeEmbedding = new float[3 * 7];
        RowLikelihood.Score(network, rows, null, 1000, whole, wholeEmbedding);
        var chunked = new double[3];
        var chunkedEmbedding = new float[3 * 7];
        RowLikelihood.Score(network, rows, null, 16, chunked, chunkedEmbedding);
        // The same steps in chunks of 16 against one call: float32 sums of log-probabilities (all <= 0) grouped
        // differently; embeddings are hidden states in (-1, 1).
        for (int r = 0; r < 3; r++) AssertClose.Relative(whole[r], chunked[r], 1e-5, $"row {r}: log-likelihood in chunks vs in one call");
        AssertClose.Relative(wholeEmbedding, chunkedEmbedding, 1e-5, "embeddings in chunks vs in one call", magnitude: 1);
    }

    [Fact]
    public void ConditionChangesTheInitialStateAndTheScore()
    {
        using var network = Network(CharRnnCellType.Lstm, CharRnnInitialState.Condition, conditionSize: 3);
        TestModules.Randomize(network, seed: 4);
        network.eval();
        var rows = RandomRows(9, 6, 6);
        var ll = new double[2];
        RowLikelihood.Score(network, new[] { rows[0], rows[0] }, new float[] { 1, 0, 0, 0, 0, 1 }, 512, ll, null);
        // Ignoring the condition would give the same bits for both rows (one batch, same path); float32 noise is about
        // 1e-7 relative. Measured: 2.6e-4 relative (-16.8235 vs -16.8192), threshold 1e-5.
        Assert.True(Math.Abs(ll[0] - ll[1]) > 1e-5 * Math.Abs(ll[0]), $"the same row under two conditions: {ll[0]} vs {ll[1]}");
        Assert.Throws<ArgumentException>(() => network.InitialState(2, null));
    }

    [Fact]
    public void ScheduledSamplingProbabilitiesFollowTheirSchedules()
    {
        Assert.Equal(0, ScheduledSamplingMath.SamplingProbability(ScheduledSampling.TeacherForcing, 0, 1_000_000, 1));
        // Double formulas written another way: a few ulps apart at most.
        AssertClose.Relative(0.5, ScheduledSamplingMath.SamplingProbability(ScheduledSampling.Linear, 100, 50, 1), 1e-12, "linear at step 50");
        AssertClose.Relative(0.25, ScheduledSamplingMath.SamplingProbability(ScheduledSampling.Linear, 100, 1000, 0.25), 1e-12, "linear, capped at 0.25");
        AssertClose.Relative(1 - Math.Pow(0.99, 10), ScheduledSamplingMath.SamplingProbability(ScheduledSampling.Exponential, 0.99, 10, 1), 1e-12, "exponential at step 10");
        AssertClose.Relative(1 - 10 / (10 + Math.Exp(2.0)), ScheduledSamplingMath.SamplingProbability(ScheduledSampling.InverseSigmoid, 10, 20, 1), 1e-12, "inverse sigmoid at step 20");
        foreach (var schedule in new[] { ScheduledSampling.Linear, ScheduledSampling.Exponential, ScheduledSampling.InverseSigmoid })
        {
            double k = ScheduledSamplingMath.DefaultParameter(schedule), previous = -1;
            for (long step = 0; step < 100_000; step += 997)
            {
                double p = ScheduledSamplingMath.SamplingProbability(schedule, k, step, 1);
                Assert.InRange(p, previous - 1e-12, 1);
                previous = p;
            }
            Assert.True(previous > 0.5, $"{schedule} should be mostly sampling after 100,000 steps");
        }
    }

    [Fact]
    public void VocabularyMapsUnknownCharactersAndAstralCharacters()
    {
        var counts = new Dictionary<int, long>();
        CharVocabulary.Count("aab😀", counts);
        var vocabulary = CharVocabulary.FromCounts(counts, 2);
        Assert.Equal(4, vocabulary.Size); // boundary, unknown, 'a', and one of the two singletons
        var ids = new List<int>();
        int unknown = vocabulary.Encode("a😀z", ids);
        Assert.Equal(3, ids.Count); // the emoji is one character, not two UTF-16 halves
        Assert.Equal(CharVocabulary.UnknownId, ids[2]);
        Assert.True(unknown >= 1);
        Assert.Equal("a", vocabulary.Text(ids[0]));
    }
}
