using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Flows.Image;
using Microsoft.ML.Generative.Tests.Flows.Image;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Kernels;

/// <summary>
/// The platform traps of docs/ONEDNN-KERNEL-BUGS.md that the conditioner's fixed channel rules avoid (oneDNN convolutions
/// with fewer than 16 output channels give intermittent NaN gradients on one CPU; with more than 16 input channels that
/// are not a multiple of 16 they give wrong outputs on another), and whole flows against float64.
/// </summary>
public class ConvolutionChannelRuleTests
{
    [Theory]
    [InlineData(1)]  // the first coupling of a grey image needs only 2 output channels: the narrowest case
    [InlineData(3)]  // RGB at 3 scales: a channel-wise coupling over 24 channels needs 24 inputs and 48 outputs
    public void EveryConvolutionHasOutputChannelsThatAreAMultipleOf16AndInputsOfAtMost16OrAMultipleOf16(int channels)
    {
        using var flow = new MultiScaleRealNvp(new ImageRealNvpArchitecture { Channels = channels, Height = 8, Width = 8, Scales = 3, FeatureMaps = 16, ResidualBlocks = 1 });
        int convolutions = 0;
        foreach (var (name, module) in flow.named_modules())
        {
            if (module is global::TorchSharp.Modules.Conv2d conv)
            {
                convolutions++;
                var weight = conv.named_parameters().Single(p => p.name == "weight").parameter;
                Assert.True(weight.shape[0] % 16 == 0, $"{name} has {weight.shape[0]} output channels");
                Assert.True(weight.shape[1] <= 16 || weight.shape[1] % 16 == 0, $"{name} has {weight.shape[1]} input channels");
            }
        }
        Assert.True(convolutions >= 3 * (3 + 3 + 3 + 3 + 4), $"expected every coupling's convolutions, found {convolutions}");
    }

    [Theory]
    [InlineData(1, 28, 3, 16)]
    [InlineData(3, 8, 3, 16)]
    [InlineData(3, 8, 2, 48)]
    public void TheFlowComputesItsFloat64FunctionInFloat32ForwardAndBackward(int channels, int side, int scales, int featureMaps)
    {
        // A platform regression test: libtorch 2.10's oneDNN convolutions return wrong values (not NaN, not an error)
        // for some channel counts on some CPUs (docs/ONEDNN-KERNEL-BUGS.md). float64 runs libtorch's own convolution, the reference.
        var architecture = new ImageRealNvpArchitecture
        {
            Channels = channels, Height = side, Width = side, Scales = scales, FeatureMaps = featureMaps, ResidualBlocks = 1,
            ConditionerBatchNorm = true, Activation = ConditionerActivation.Silu,
        };
        using var flow = new MultiScaleRealNvp(architecture);
        ImageTestModules.Randomize(flow, seed: channels + side);
        using var reference = new MultiScaleRealNvp(architecture);
        reference.load_state_dict(flow.state_dict());
        reference.to(ScalarType.Float64);
        flow.eval();
        reference.eval();
        using var scope = NewDisposeScope();
        using var g = new Generator(13, CPU);
        var x = randn(new long[] { 4, channels, side, side }, generator: g);
        var weights = randn(new long[] { 4, channels * side * side }, generator: g);
        var input = x.clone().requires_grad_(true);
        var (z, logDet) = flow.Forward(input);
        (z * weights).sum().backward();
        var referenceInput = x.to(ScalarType.Float64).requires_grad_(true);
        var (expected, expectedLogDet) = reference.Forward(referenceInput);
        (expected * weights.to(ScalarType.Float64)).sum().backward();

        double Relative(Tensor a, Tensor b) => (a.detach().to(ScalarType.Float64) - b.detach()).abs().max().item<double>() / Math.Max(1, b.detach().abs().max().item<double>());
        Assert.True(Relative(z, expected) < 1e-4, $"latents off by {Relative(z, expected)}");
        Assert.True(Relative(logDet, expectedLogDet) < 1e-4, $"log-det off by {Relative(logDet, expectedLogDet)}");
        Assert.True(Relative(input.grad, referenceInput.grad) < 1e-3, $"input gradient off by {Relative(input.grad, referenceInput.grad)}");
    }

    [Fact]
    public void ConditionerInputGradientsStayFiniteOverManyBackwardPassesWithTwoThreads()
    {
        // The platform-trap regression: 300 backward passes each for a checkerboard conditioner of a grey 16x16 image
        // (2 output channels needed) and a channel-wise one after a squeeze, with training-mode batch norm, on 2 threads.
        int savedThreads = torch.get_num_threads();
        torch.set_num_threads(2);
        try
        {
            var configurations = new[]
            {
                (channels: 1, size: 16, plane: ImageMasks.Plane(ImageMasks.Checkerboard(1, 16, 16, 0))),
                (channels: 4, size: 8, plane: (float[,])null),
            };
            foreach (var (channels, size, plane) in configurations)
            {
                using var conditioner = new ResNetConditioner(channels, 2 * channels, 16, 1, ConditionerActivation.Relu, batchNorm: true, plane);
                ImageTestModules.Randomize(conditioner, seed: channels); // a zero output conv would pass no gradient back
                conditioner.train();
                using var g = new Generator(42, CPU);
                int nonFinite = 0;
                for (int pass = 0; pass < 300; pass++)
                {
                    using var scope = NewDisposeScope();
                    var x = randn(new long[] { 4, channels, size, size }, generator: g).requires_grad_(true);
                    var output = conditioner.call(x);
                    var weights = randn(output.shape, generator: g);
                    (output * weights).sum().backward();
                    if (!x.grad.isfinite().all().item<bool>())
                        nonFinite++;
                }
                Assert.True(nonFinite == 0, $"{channels} channel(s): {nonFinite} of 300 backward passes gave non-finite input gradients");
                foreach (var (name, p) in conditioner.named_parameters())
                    Assert.True(p.grad is null || p.grad.isfinite().all().item<bool>(), $"{name}: non-finite accumulated gradient");
            }
        }
        finally
        {
            torch.set_num_threads(savedThreads);
        }
    }
}
