using Microsoft.ML.Generative.Sequence;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Sequence;

/// <summary>
/// The LSTM computes the right function on whatever CPU runs the tests. libtorch 2.10's fused float32 CPU LSTM (oneDNN)
/// is wrong for some hidden sizes on some CPUs (docs/ONEDNN-KERNEL-BUGS.md); float64 runs libtorch's own implementation, which is the
/// reference here.
/// </summary>
public class LstmKernelTests
{
    private static double RelativeError(Tensor actual, Tensor expected)
        => (actual.detach().to(ScalarType.Float64) - expected.detach().to(ScalarType.Float64)).abs().max().item<double>()
           / Math.Max(1e-6, expected.detach().abs().max().item<double>());

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
        var parameters = lstm.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var stepwiseInput = x.clone().requires_grad_(true);
        var (actual, actualH, actualC) = StepwiseLstm.Forward(parameters, layers, 0, false, stepwiseInput, h0, c0);
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
        Assert.True(RelativeError(scored, expected) < 1e-4, $"scoring logits off by {RelativeError(scored, expected)} (stepwise: {network.UsesStepwiseLstm})");
        Assert.True(RelativeError(trained, expected) < 1e-4, $"training logits off by {RelativeError(trained, expected)} (stepwise: {network.UsesStepwiseLstm})");
    }

    [Fact]
    public void TheKernelCheckLeavesTheGlobalGeneratorAsItWas()
    {
        random.manual_seed(77);
        using var before = random.get_rng_state();
        FusedLstmCheck.FusedKernelIsCorrect(inputSize: 9, hiddenSize: 13, layers: 1); // a shape no other test uses: not cached
        using var after = random.get_rng_state();
        Assert.True(before.shape.SequenceEqual(after.shape) && before.eq(after).all().item<bool>(), "the generator state changed");
    }
}
