using Microsoft.ML.Generative.Tests.Infrastructure;
using Microsoft.ML.Generative.Training;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Training;

/// <summary>Progress through ML.NET's log, cancellation, determinism, divergence, early stopping, global state.</summary>
public class TrainingBehaviourTests
{
    private static IDataView Data(MLContext ml, int n = 400, int seed = 1)
        => ml.Data.LoadFromEnumerable(TrainedFlowFixture.MakeRows(n, seed, anomalies: 0).Select(r => new Rows.VectorRow { Features = new[] { r.A, r.B, r.C } }),
            Schema());

    private static SchemaDefinition Schema()
    {
        var s = SchemaDefinition.Create(typeof(Rows.VectorRow));
        s[nameof(Rows.VectorRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3);
        return s;
    }

    private static RealNvpOptions Small(int epochs = 4) => new RealNvpOptions { MaxEpochs = epochs, NumberOfCouplingLayers = 3, HiddenLayerSize = 16, BatchSize = 64, Seed = 5, NumberOfThreads = TestThreads.Count };

    [Fact]
    public void ProgressAndValidationLossAppearInTheContextLog()
    {
        var ml = new MLContext(1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        var flow = ml.Generative().RealNvp(Small(3)).Fit(Data(ml));
        Assert.Contains(messages, m => m.Contains("Epoch 1/3: training loss") && m.Contains("validation loss"));
        Assert.Contains(messages, m => m.Contains("Epoch 3/3"));
        Assert.Contains(messages, m => m.Contains("anomaly threshold"));
        Assert.Equal(3, flow.TrainingSummary.History.Count);
        Assert.All(flow.TrainingSummary.History, e => Assert.True(e.ValidationLoss.HasValue && e.ItemsPerSecond > 0));
    }

    [Fact]
    public void CancelExecutionStopsTrainingWithoutAModel()
    {
        var ml = new MLContext(1);
        int epochsSeen = 0;
        ml.Log += (_, e) =>
        {
            if (e.Message.Contains("Epoch 2/") && Interlocked.Increment(ref epochsSeen) == 1) ml.CancelExecution();
        };
        RealNvpTransformer flow = null;
        Assert.ThrowsAny<OperationCanceledException>(() => flow = ml.Generative().RealNvp(Small(50)).Fit(Data(ml)));
        Assert.Null(flow);
        Assert.Equal(1, epochsSeen);
    }

    [Fact]
    public void TheSameSeedGivesTheSameModel()
    {
        float[] Scores(int seed)
        {
            var ml = new MLContext(1);
            var options = Small();
            options.Seed = seed;
            using var flow = ml.Generative().RealNvp(options).Fit(Data(ml));
            return flow.Transform(Data(ml, 200, seed: 9)).GetColumn<float>("Score").ToArray();
        }
        var a = Scores(5);
        Assert.Equal(a, Scores(5));
        Assert.NotEqual(a, Scores(6));

        // Without an explicit Seed, the MLContext's seed decides.
        float[] ContextSeeded(int contextSeed)
        {
            var ml = new MLContext(contextSeed);
            var options = Small();
            options.Seed = null;
            using var flow = ml.Generative().RealNvp(options).Fit(Data(ml));
            return flow.Transform(Data(ml, 200, seed: 9)).GetColumn<float>("Score").ToArray();
        }
        Assert.Equal(ContextSeeded(3), ContextSeeded(3));
    }

    [Fact]
    public void DivergenceStopsWithTheBestWeightsAndSaysSo()
    {
        var ml = new MLContext(1);
        var warnings = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == Runtime.ChannelMessageKind.Warning) lock (warnings) warnings.Add(e.Message); };
        var options = Small(20);
        options.LearningRate = 1e12f; // Adam moves every weight by ~1e12 on the first step: the loss overflows
        options.GradientClipNorm = 0;
        var flow = ml.Generative().RealNvp(options).Fit(Data(ml));
        Assert.Equal(TrainingStopReason.Diverged, flow.TrainingSummary.StopReason);
        Assert.Contains(warnings, w => w.Contains("NaN or infinite") && w.Contains("weights of epoch"));
        // Seeds 0-4, 1 and 2 threads (AVX2: the same bits, no oneDNN kernels in vector flows): diverged in epoch 1
        // every time (0 epochs recorded).
        Assert.True(flow.TrainingSummary.History.Count < 20);
        Assert.All(flow.Transform(Data(ml, 100, seed: 3)).GetColumn<float>("Score"), s => Assert.True(float.IsFinite(s)));
    }

    [Fact]
    public void EarlyStoppingKeepsTheBestEpoch()
    {
        var ml = new MLContext(1);
        var options = Small(200);
        options.EarlyStoppingPatience = 3;
        options.LearningRate = 5e-3f;
        options.TrainingNoise = 0;
        var flow = ml.Generative().RealNvp(options).Fit(Data(ml, 120));
        var s = flow.TrainingSummary;
        // Seeds 0-4, 1 and 2 threads (AVX2: the same bits, no oneDNN kernels in vector flows): early stopping after
        // 14-32 of the 200 epochs.
        Assert.Equal(TrainingStopReason.EarlyStopping, s.StopReason);
        var best = s.History.MinBy(e => e.ValidationLoss!.Value)!;
        Assert.Equal(best.Epoch, s.BestEpoch);
        Assert.Equal(best.ValidationLoss, s.BestLoss);
        Assert.Equal(s.BestEpoch + 3, s.History.Count);
    }

    [Fact]
    public void FitLeavesTorchGlobalStateAsItFoundIt()
    {
        var ml = new MLContext(1);
        int threads = get_num_threads();
        using var before = random.get_rng_state();
        var options = Small(2);
        options.NumberOfThreads = threads == 1 ? 2 : 1; // deliberately not the run's count: Fit must put it back
        using var flow = ml.Generative().RealNvp(options).Fit(Data(ml));
        using var after = random.get_rng_state();
        Assert.Equal(threads, get_num_threads());
        Assert.True(before.data<byte>().ToArray().SequenceEqual(after.data<byte>().ToArray()), "the global torch generator was left changed");
    }

    [Fact]
    public void TrainingIsReproducibleRegardlessOfTheGlobalGenerator()
    {
        float[] Scores()
        {
            var ml = new MLContext(1);
            using var flow = ml.Generative().RealNvp(Small(2)).Fit(Data(ml));
            return flow.Transform(Data(ml, 50, seed: 2)).GetColumn<float>("Score").ToArray();
        }
        random.manual_seed(1);
        var a = Scores();
        random.manual_seed(12345);
        Assert.Equal(a, Scores());
    }
}
