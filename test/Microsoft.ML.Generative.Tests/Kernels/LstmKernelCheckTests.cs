using Microsoft.ML.Generative.NativeKernels;
using Microsoft.ML.Generative.Sequence;
using Microsoft.ML.Generative.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Kernels;

/// <summary>
/// The LSTM computes the right function on whatever CPU runs the tests. libtorch 2.10's fused float32 CPU LSTM (oneDNN)
/// is wrong for some hidden sizes on some CPUs (docs/ONEDNN-KERNEL-BUGS.md); float64 runs libtorch's own implementation,
/// which is the reference here. Also: the run-time check (<see cref="FusedLstmCheck"/>) passes correct kernels, dropout
/// included, and a shape forced to fail runs step by step with the same function and the same dropout masks.
/// </summary>
public class LstmKernelCheckTests
{
    private static double RelativeError(Tensor actual, Tensor expected)
        => (actual.detach().to(ScalarType.Float64) - expected.detach().to(ScalarType.Float64)).abs().max().item<double>()
           / Math.Max(1e-6, expected.detach().to(ScalarType.Float64).abs().max().item<double>());

    private static bool SameState(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static Dictionary<string, Tensor> Parameters(nn.Module lstm)
        => lstm.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);

    [Theory]
    [InlineData(5, 7, 1)]
    [InlineData(16, 48, 2)]
    [InlineData(3, 24, 3)]
    public void StepwiseLstmEqualsTheModuleInFloat64(int inputSize, int hiddenSize, int layers)
    {
        random.manual_seed(inputSize + hiddenSize);
        using var lstm = nn.LSTM(inputSize, hiddenSize, layers, batchFirst: true);
        lstm.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        using var g = new Generator(3, CPU);
        var x = randn(new long[] { 4, 6, inputSize }, dtype: ScalarType.Float64, generator: g);
        var h0 = randn(new long[] { layers, 4, hiddenSize }, dtype: ScalarType.Float64, generator: g);
        var c0 = randn(new long[] { layers, 4, hiddenSize }, dtype: ScalarType.Float64, generator: g);
        var weights = randn(new long[] { 4, 6, hiddenSize }, dtype: ScalarType.Float64, generator: g);

        var moduleInput = x.clone().requires_grad_(true);
        var (expected, expectedH, expectedC) = lstm.forward(moduleInput, (h0, c0));
        (expected * weights).sum().backward();
        var stepwiseInput = x.clone().requires_grad_(true);
        var (actual, actualH, actualC) = StepwiseLstm.Forward(Parameters(lstm), layers, 0, false, stepwiseInput, h0, c0);
        (actual * weights).sum().backward();

        Assert.Equal(expected.shape, actual.shape);
        Assert.True(RelativeError(actual, expected) < 1e-12, $"outputs differ by {RelativeError(actual, expected)}");
        Assert.True(RelativeError(actualH, expectedH) < 1e-12 && RelativeError(actualC, expectedC) < 1e-12, "final states differ");
        Assert.True(RelativeError(stepwiseInput.grad, moduleInput.grad) < 1e-10, "input gradients differ");
    }

    [Theory]
    [InlineData(16, 16)]
    [InlineData(16, 24)]
    [InlineData(16, 48)]
    [InlineData(64, 64)]
    [InlineData(8, 100)]
    public void TheCharRnnLstmComputesItsFloat64FunctionInFloat32(int embeddingSize, int hiddenSize)
    {
        // Whichever way the network runs its LSTM on this CPU (fused, or step by step where the check found the fused
        // kernel wrong), scoring (no autograd) and training (with autograd) must give the float64 answer.
        random.manual_seed(hiddenSize);
        var architecture = new CharRnnArchitecture { VocabularySize = 20, EmbeddingSize = embeddingSize, HiddenSize = hiddenSize, Layers = 2, CellType = CharRnnCellType.Lstm };
        using var network = new CharRnnNetwork(architecture);
        random.manual_seed(hiddenSize);
        using var reference = new CharRnnNetwork(architecture);
        reference.to(ScalarType.Float64);
        network.eval();
        reference.eval();
        using var scope = NewDisposeScope();
        using var g = new Generator(5, CPU);
        var ids = randint(0, 20, new long[] { 6, 11 }, dtype: int64, generator: g);
        var h0 = randn(new long[] { 2, 6, hiddenSize }, generator: g) * 0.5;
        var c0 = randn(new long[] { 2, 6, hiddenSize }, generator: g) * 0.5;
        var (expected, _, _) = reference.Run(ids, new RecurrentState(h0.to(ScalarType.Float64), c0.to(ScalarType.Float64)));
        Tensor scored;
        using (no_grad())
            (scored, _, _) = network.Run(ids, new RecurrentState(h0, c0));
        var (trained, _, _) = network.Run(ids, new RecurrentState(h0, c0));
        string paths = $"fallbacks: {network.KernelFallbacks.Used.Count}";
        Assert.True(RelativeError(scored, expected) < 1e-4, $"scoring logits off by {RelativeError(scored, expected)} ({paths})");
        Assert.True(RelativeError(trained, expected) < 1e-4, $"training logits off by {RelativeError(trained, expected)} ({paths})");
    }

    [Fact]
    public void TheFusedModuleDrawsItsInterLayerDropoutMasksTimeMajorLayerByLayer()
    {
        // What the dropout check relies on (libtorch 2.10): in training mode the fused module draws one mask per layer
        // but the last, shaped like the time-major layer output [time, batch, hidden], in layer order, from the global
        // generator, and draws nothing else. Batch-first masks from the same stream give a different function.
        const int input = 5, hidden = 24, layers = 3, batch = 4, time = 6;
        const double p = 0.4;
        random.manual_seed(11);
        using var lstm = nn.LSTM(input, hidden, layers, batchFirst: true, dropout: p);
        lstm.train();
        using var scope = NewDisposeScope();
        using var g = new Generator(7, CPU);
        var x = randn(new long[] { batch, time, input }, generator: g);
        var h0 = randn(new long[] { layers, batch, hidden }, generator: g);
        var c0 = randn(new long[] { layers, batch, hidden }, generator: g);
        var shape = new LstmShape(input, hidden, layers, batch, time, Gradients: true, p, ScalarType.Float32, get_num_threads());

        random.manual_seed(42);
        var (fused, _, _) = lstm.forward(x, (h0, c0));
        var afterFused = random.get_rng_state();
        random.manual_seed(42);
        var masks = FusedLstmCheck.DropoutMasks(shape);
        var afterMasks = random.get_rng_state();
        var (timeMajor, _, _) = StepwiseLstm.Forward(Parameters(lstm), layers, x, h0, c0, (l, y) => y * masks[l]);
        random.manual_seed(42);
        var batchFirstMasks = Enumerable.Range(0, layers - 1)
            .Select(_ => nn.functional.dropout(ones(batch, time, hidden), p, training: true).transpose(0, 1)).ToArray();
        var (batchFirst, _, _) = StepwiseLstm.Forward(Parameters(lstm), layers, x, h0, c0, (l, y) => y * batchFirstMasks[l]);

        Assert.True(RelativeError(timeMajor, fused) < 1e-5, $"time-major masks: off by {RelativeError(timeMajor, fused)}");
        Assert.True(SameState(afterFused, afterMasks), "the fused module drew a different amount from the global generator");
        Assert.True(RelativeError(batchFirst, fused) > 1e-2, "batch-first masks should not reproduce the module");
    }

    [Fact]
    public void TheStepwiseLstmDrawsTheSameDropoutMasksAsTheFusedModule()
    {
        // So a seeded Fit gives the same model whichever path a shape takes.
        const int layers = 2, hidden = 32;
        random.manual_seed(3);
        using var lstm = nn.LSTM(8, hidden, layers, batchFirst: true, dropout: 0.3);
        lstm.train();
        using var scope = NewDisposeScope();
        using var g = new Generator(9, CPU);
        var x = randn(new long[] { 5, 7, 8 }, generator: g);
        var h0 = zeros(layers, 5, hidden);
        var c0 = zeros(layers, 5, hidden);

        random.manual_seed(8);
        var (fused, fusedH, _) = lstm.forward(x, (h0, c0));
        var afterFused = random.get_rng_state();
        random.manual_seed(8);
        var (stepwise, stepwiseH, _) = StepwiseLstm.Forward(Parameters(lstm), layers, 0.3, training: true, x, h0, c0);
        var afterStepwise = random.get_rng_state();

        Assert.True(RelativeError(stepwise, fused) < 1e-5, $"outputs off by {RelativeError(stepwise, fused)}");
        Assert.True(RelativeError(stepwiseH, fusedH) < 1e-5, $"final states off by {RelativeError(stepwiseH, fusedH)}");
        Assert.True(SameState(afterFused, afterStepwise), "the two paths drew different amounts from the global generator");
    }

    [Theory]
    // input, hidden, layers, batch, steps, autograd, dropout, threads. Hidden sizes that were right on every CPU measured.
    [InlineData(8, 24, 1, 1, 1, false, 0.0, 1)]
    [InlineData(8, 24, 2, 16, 4, true, 0.2, 2)]
    [InlineData(16, 32, 2, 3, 4, true, 0.5, 1)]
    [InlineData(16, 64, 3, 37, 4, true, 0.1, 2)]
    [InlineData(16, 64, 3, 37, 4, false, 0.0, 2)]
    [InlineData(32, 56, 2, 5, 2, false, 0.3, 1)]   // dropout without autograd (training mode under no_grad)
    [InlineData(64, 256, 2, 64, 4, true, 0.1, 2)]  // the char-RNN defaults in training
    [InlineData(64, 256, 2, 50, 4, false, 0.0, 2)] // and in scoring
    public void TheFusedLstmPassesItsCheckOnThisCpu(int input, int hidden, int layers, int batch, int steps, bool gradients, double dropout, int threads)
    {
        // A check that failed correct kernels would silently make every such LSTM run step by step, 2-3x slower.
        int saved = get_num_threads();
        set_num_threads(threads);
        try
        {
            random.manual_seed(hidden + layers);
            using var lstm = nn.LSTM(input, hidden, layers, batchFirst: true, dropout: dropout);
            if (dropout > 0) lstm.train(); else lstm.eval();
            var shape = new LstmShape(input, hidden, layers, batch, steps, gradients, dropout, ScalarType.Float32, threads);
            random.manual_seed(77);
            using var before = random.get_rng_state();
            Assert.True(FusedLstmCheck.Agrees(lstm, shape), $"the check failed {shape}");
            using var after = random.get_rng_state();
            Assert.True(SameState(before, after), "the check changed the global generator's state");
            Assert.All(lstm.parameters(), p => Assert.Null(p.grad));
        }
        finally
        {
            set_num_threads(saved);
        }
    }

    [Fact]
    public void TheCheckRunsOncePerBatchSizeAndPassAsTheNetworkMeetsThem()
    {
        // A shape no other test uses, so nothing is cached yet.
        random.manual_seed(1);
        var architecture = new CharRnnArchitecture { VocabularySize = 12, EmbeddingSize = 9, HiddenSize = 20, Layers = 2, Dropout = 0.25f, CellType = CharRnnCellType.Lstm };
        using var network = new CharRnnNetwork(architecture);
        int measuredBefore = FusedLstmCheck.Fused.MeasuredShapes;
        int threads = get_num_threads();
        using var scope = NewDisposeScope();
        using var g = new Generator(2, CPU);
        Tensor Ids(long batch, long time) => randint(0, 12, new[] { batch, time }, dtype: int64, generator: g);

        network.train();
        network.Run(Ids(3, 6), network.InitialState(3));
        network.Run(Ids(3, 9), network.InitialState(3)); // the same shape: 4 or more steps, batch 3, training
        network.Run(Ids(5, 6), network.InitialState(5));
        network.eval();
        using (no_grad())
            network.Run(Ids(3, 2), network.InitialState(3));

        var expected = new[]
        {
            new LstmShape(9, 20, 2, 3, 4, true, 0.25, ScalarType.Float32, threads),
            new LstmShape(9, 20, 2, 5, 4, true, 0.25, ScalarType.Float32, threads),
            new LstmShape(9, 20, 2, 3, 2, false, 0, ScalarType.Float32, threads),
        };
        Assert.Equal(measuredBefore + expected.Length, FusedLstmCheck.Fused.MeasuredShapes);
        foreach (var shape in expected)
            Assert.True(FusedLstmCheck.Fused.CachedResult(shape) == true, $"{shape}: {FusedLstmCheck.Fused.CachedResult(shape)}");
    }

    [Fact]
    public void AShapeForcedToFailRunsStepByStepWithTheFloat64FunctionAndGradients()
    {
        random.manual_seed(4);
        var architecture = new CharRnnArchitecture { VocabularySize = 20, EmbeddingSize = 16, HiddenSize = 32, Layers = 2, CellType = CharRnnCellType.Lstm };
        using var network = new CharRnnNetwork(architecture);
        TestModules.Randomize(network, seed: 4);
        using var reference = new CharRnnNetwork(architecture);
        reference.load_state_dict(network.state_dict());
        reference.to(ScalarType.Float64);
        network.eval();
        reference.eval();
        using var forced = FusedLstmCheck.Fused.ForceWrong(_ => true);
        using var scope = NewDisposeScope();
        using var g = new Generator(6, CPU);
        var ids = randint(0, 20, new long[] { 5, 9 }, dtype: int64, generator: g);
        var weights = randn(new long[] { 5, 9, 20 }, generator: g);
        var h0 = randn(new long[] { 2, 5, 32 }, generator: g) * 0.5;
        var c0 = randn(new long[] { 2, 5, 32 }, generator: g) * 0.5;
        RecurrentState State() => new(h0, c0);

        var (expected, _, _) = reference.Run(ids, new RecurrentState(h0.to(ScalarType.Float64), c0.to(ScalarType.Float64)));
        (expected * weights.to(ScalarType.Float64)).sum().backward();
        Tensor scored;
        using (no_grad())
            (scored, _, _) = network.Run(ids, State());
        var (trained, _, _) = network.Run(ids, State());
        (trained * weights).sum().backward();

        Assert.True(RelativeError(scored, expected) < 1e-4, $"scoring logits off by {RelativeError(scored, expected)}");
        Assert.True(RelativeError(trained, expected) < 1e-4, $"training logits off by {RelativeError(trained, expected)}");
        var expectedGradients = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        foreach (var (name, p) in network.named_parameters())
            Assert.True(RelativeError(p.grad, expectedGradients[name]) < 1e-3, $"{name}: gradient off by {RelativeError(p.grad, expectedGradients[name])}");
        var used = network.KernelFallbacks.Used;
        Assert.Equal(2, used.Count); // scoring and training
        Assert.All(used, f => Assert.Contains("StepwiseLstm", f.Message));
        Assert.Contains(used, f => f.Shape.Contains("inference"));
        Assert.Contains(used, f => f.Shape.Contains("training"));
    }

    [Fact]
    public void TrainingThroughTheStepwiseFallbackMatchesTheFusedPathAndFitSaysSo()
    {
        // A seeded Fit with dropout, once on this CPU's paths and once with every LSTM shape forced to fail: the same
        // masks and the same function, so the same losses and scores up to float32 round-off; and a warning per shape.
        var options = new CharRnnOptions
        {
            HiddenSize = 32, EmbeddingSize = 8, NumberOfLayers = 2, Dropout = 0.3f, MaxEpochs = 2, BatchSize = 16,
            SequenceLength = 24, LearningRate = 1e-2f, Seed = 5, NumberOfThreads = 1, EarlyStoppingPatience = 0,
        };
        (double[] losses, float[] scores, List<string> warnings) FitAndScore()
        {
            var ml = new MLContext(1);
            var warnings = new List<string>();
            ml.Log += (_, e) => { if (e.Kind == Runtime.ChannelMessageKind.Warning) lock (warnings) warnings.Add(e.Message); };
            using var model = ml.Generative().CharRnn(options).Fit(TextRows.Load(ml, TextRows.LogLines(90, 1)));
            var scores = model.Transform(TextRows.Load(ml, TextRows.LogLines(10, 2))).GetColumn<float>("Score").ToArray();
            return (model.TrainingSummary.History.Select(e => e.TrainingLoss).ToArray(), scores, warnings);
        }

        var fused = FitAndScore();
        (double[] losses, float[] scores, List<string> warnings) stepwise;
        using (FusedLstmCheck.Fused.ForceWrong(_ => true))
            stepwise = FitAndScore();

        Assert.DoesNotContain(fused.warnings, w => w.Contains("StepwiseLstm"));
        Assert.Contains(stepwise.warnings, w => w.Contains("StepwiseLstm") && w.Contains("training") && w.Contains("dropout 0.3"));
        Assert.Contains(stepwise.warnings, w => w.Contains("StepwiseLstm") && w.Contains("inference"));
        Assert.Equal(fused.losses.Length, stepwise.losses.Length);
        for (int i = 0; i < fused.losses.Length; i++)
            Assert.True(Math.Abs(stepwise.losses[i] - fused.losses[i]) <= 1e-3 * Math.Abs(fused.losses[i]), $"epoch {i + 1}: {stepwise.losses[i]} vs {fused.losses[i]}");
        for (int i = 0; i < fused.scores.Length; i++)
            Assert.True(Math.Abs(stepwise.scores[i] - fused.scores[i]) <= 1e-3 * Math.Abs(fused.scores[i]), $"row {i}: {stepwise.scores[i]} vs {fused.scores[i]}");
    }
}
