using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Flows.Image;
using Microsoft.ML.Generative.NativeKernels;
using Microsoft.ML.Generative.Tests.Flows.Image;
using Microsoft.ML.Generative.Tests.Infrastructure;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static Microsoft.ML.Generative.Tests.Infrastructure.ImageRows;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Kernels;

/// <summary>
/// The run-time convolution check (<see cref="ConvolutionCheck"/>): correct kernels pass it on this CPU, the im2col
/// fallback computes the float64 function, a shape forced to fail is computed through the fallback (and Fit says so), the
/// check runs once per shape, and the conditioner's parameters and saved state do not depend on any of it.
/// </summary>
public class ConvolutionKernelCheckTests
{
    private static double RelativeError(Tensor actual, Tensor expected)
        => (actual.detach().to(ScalarType.Float64) - expected.detach().to(ScalarType.Float64)).abs().max().item<double>()
           / Math.Max(1e-12, expected.detach().to(ScalarType.Float64).abs().max().item<double>());

    private static ConvolutionShape Shape(long batch, long inChannels, long outChannels, long size, ConvolutionPass pass, int threads,
        long kernel = 3, long stride = 1, long padding = 1)
        => new(batch, inChannels, size, size, outChannels, kernel, kernel, stride, stride, padding, padding, 1, 1, 1, true,
            ScalarType.Float32, pass, threads);

    private static IReadOnlyList<KernelFallback> Fallbacks(ResNetConditioner conditioner)
        => ((IKernelFallbackSource)conditioner).KernelFallbacks.Used;

    [Theory]
    // Shapes the image flows use (channels by the multiple-of-16 rules), in every pass, at several batch sizes.
    [InlineData(1, 2, 16, 8, (int)ConvolutionPass.TrainingWithoutInputGradient, 2)]
    [InlineData(4, 16, 16, 8, (int)ConvolutionPass.Training, 2)]
    [InlineData(4, 16, 16, 8, (int)ConvolutionPass.Inference, 1)]
    [InlineData(32, 5, 32, 14, (int)ConvolutionPass.TrainingWithoutInputGradient, 2)]
    [InlineData(16, 32, 32, 14, (int)ConvolutionPass.Training, 1)]
    [InlineData(16, 32, 32, 14, (int)ConvolutionPass.Training, 2)]
    [InlineData(64, 32, 32, 7, (int)ConvolutionPass.Inference, 2)]
    [InlineData(3, 48, 48, 4, (int)ConvolutionPass.Training, 2)]
    [InlineData(8, 32, 16, 28, (int)ConvolutionPass.Training, 2)]
    public void LibtorchsConvolutionPassesItsCheckOnThisCpu(long batch, long inChannels, long outChannels, long size, int pass, int threads)
    {
        // A check that failed correct kernels would silently send those shapes through im2col, 2-3x slower.
        int saved = get_num_threads();
        set_num_threads(threads);
        try
        {
            var shape = Shape(batch, inChannels, outChannels, size, (ConvolutionPass)pass, threads);
            Assert.True(ConvolutionCheck.Agrees(shape, ConvolutionCheck.ConvolveNatively), $"the check failed {shape}");
        }
        finally
        {
            set_num_threads(saved);
        }
    }

    [Theory]
    // batch, in, out, height, width, kernel, stride, padding, dilation, bias, largest column buffer (small: sliced batches)
    [InlineData(3, 4, 16, 9, 7, 3, 1, 1, 1, true, 1L << 24)]
    [InlineData(5, 16, 32, 8, 8, 3, 2, 1, 1, false, 2000L)]
    [InlineData(2, 3, 8, 11, 10, 5, 1, 2, 2, true, 1L << 24)]
    [InlineData(7, 1, 16, 6, 6, 1, 1, 0, 1, true, 100L)]
    public void Im2colComputesTheFloat64ConvolutionAndItsGradients(long batch, long inChannels, long outChannels, long height, long width,
        long kernel, long stride, long padding, long dilation, bool bias, long maxColumnElements)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(21, CPU);
        var x = randn(new[] { batch, inChannels, height, width }, generator: g);
        var w = randn(new[] { outChannels, inChannels, kernel, kernel }, generator: g) / Math.Sqrt(inChannels * kernel * kernel);
        var b = bias ? randn(new[] { outChannels }, generator: g) : null;
        long[] strides = { stride, stride }, paddings = { padding, padding }, dilations = { dilation, dilation };

        var xi = x.clone().requires_grad_(true);
        var wi = w.clone().requires_grad_(true);
        var bi = b?.clone().requires_grad_(true);
        var actual = Im2colConvolution.Forward(xi, wi, bi, strides, paddings, dilations, maxColumnElements);
        var upstream = randn(actual.shape, generator: g);
        (actual * upstream).sum().backward();

        var xr = x.to(ScalarType.Float64).requires_grad_(true);
        var wr = w.to(ScalarType.Float64).requires_grad_(true);
        var br = b?.to(ScalarType.Float64).requires_grad_(true);
        var expected = nn.functional.conv2d(xr, wr, br, strides, paddings, dilations);
        (expected * upstream.to(ScalarType.Float64)).sum().backward();

        // Relative to the largest value: float32 round-off is ~1e-6 here; a wrong index would be O(1).
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(RelativeError(actual, expected) < 1e-5, $"output off by {RelativeError(actual, expected)}");
        Assert.True(RelativeError(xi.grad, xr.grad) < 1e-5, $"input gradient off by {RelativeError(xi.grad, xr.grad)}");
        Assert.True(RelativeError(wi.grad, wr.grad) < 1e-5, $"weight gradient off by {RelativeError(wi.grad, wr.grad)}");
        if (bias) Assert.True(RelativeError(bi.grad, br.grad) < 1e-5, $"bias gradient off by {RelativeError(bi.grad, br.grad)}");
    }

    [Theory]
    [InlineData(false)] // the native kernel forced to fail: im2col
    [InlineData(true)]  // im2col forced to fail as well: float64
    public void AConditionerWhoseConvolutionsFailTheirCheckComputesItsFloat64FunctionThroughTheFallback(bool im2colFailsToo)
    {
        var mask = ImageMasks.Checkerboard(4, 6, 5, 0);
        random.manual_seed(3);
        using var conditioner = new ResNetConditioner(4, 8, 16, 1, ConditionerActivation.Silu, batchNorm: false, ImageMasks.Plane(mask));
        ImageTestModules.Randomize(conditioner, seed: 3);
        random.manual_seed(3);
        using var reference = new ResNetConditioner(4, 8, 16, 1, ConditionerActivation.Silu, batchNorm: false, ImageMasks.Plane(mask));
        reference.load_state_dict(conditioner.state_dict());
        reference.to(ScalarType.Float64);
        using var native = ConvolutionCheck.Native.ForceWrong(_ => true);
        using var im2col = im2colFailsToo ? ConvolutionCheck.Im2col.ForceWrong(_ => true) : null;
        using var scope = NewDisposeScope();
        using var g = new Generator(4, CPU);
        var x = randn(new long[] { 3, 4, 6, 5 }, generator: g);
        var upstream = randn(new long[] { 3, 8, 6, 5 }, generator: g);

        var input = x.clone().requires_grad_(true);
        (conditioner.call(input) * upstream).sum().backward();
        Tensor scored;
        using (no_grad())
            scored = conditioner.call(x);
        var referenceInput = x.to(ScalarType.Float64).requires_grad_(true);
        var expected = reference.call(referenceInput);
        (expected * upstream.to(ScalarType.Float64)).sum().backward();

        Assert.True(RelativeError(scored, expected) < 1e-4, $"output off by {RelativeError(scored, expected)}");
        Assert.True(RelativeError(input.grad, referenceInput.grad) < 1e-4, $"input gradient off by {RelativeError(input.grad, referenceInput.grad)}");
        var expectedGradients = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        foreach (var (name, p) in conditioner.named_parameters())
            Assert.True(RelativeError(p.grad, expectedGradients[name]) < 1e-4, $"{name}: gradient off by {RelativeError(p.grad, expectedGradients[name])}");

        // Two shapes (the input convolution 5 -> 16; the block's and the output convolution, 16 -> 16) in two passes.
        var used = Fallbacks(conditioner);
        string fallback = im2colFailsToo ? GuardedConvolution.Float64Description : GuardedConvolution.Im2colDescription;
        Assert.Equal(4, used.Count);
        Assert.All(used, f => Assert.Equal(fallback, f.Fallback));
        Assert.Contains(used, f => f.Shape.Contains("input [3, 5, 6, 5], weight [16, 5, 3, 3]") && f.Shape.Contains("inference"));
        Assert.Contains(used, f => f.Shape.Contains("weight [16, 16, 3, 3]") && f.Shape.Contains("training (input, weight and bias gradients)"));
    }

    [Fact]
    public void TheCheckRunsOncePerShapeAsConvolutionsMeetNewBatchSizesAndPasses()
    {
        // 5x7 images: a shape no other test uses, so nothing is cached yet.
        random.manual_seed(5);
        using var conv = nn.Conv2d(16, 16, 3, padding: 1);
        var log = new KernelFallbackLog();
        int measuredBefore = ConvolutionCheck.Native.MeasuredShapes;
        int threads = get_num_threads();
        using var scope = NewDisposeScope();
        using var g = new Generator(5, CPU);
        Tensor Images(long batch) => randn(new[] { batch, 16L, 5, 7 }, generator: g);

        GuardedConvolution.Forward(conv, Images(3).requires_grad_(true), log).sum().backward();
        GuardedConvolution.Forward(conv, Images(3).requires_grad_(true), log).sum().backward(); // the same shape again
        GuardedConvolution.Forward(conv, Images(6).requires_grad_(true), log).sum().backward();
        GuardedConvolution.Forward(conv, Images(3), log).sum().backward();                     // no input gradient
        using (no_grad())
            GuardedConvolution.Forward(conv, Images(3), log);

        var shapes = new[] { (3L, ConvolutionPass.Training), (6L, ConvolutionPass.Training), (3L, ConvolutionPass.TrainingWithoutInputGradient), (3L, ConvolutionPass.Inference) }
            .Select(s => new ConvolutionShape(s.Item1, 16, 5, 7, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, true, ScalarType.Float32, s.Item2, threads)).ToList();
        Assert.Equal(measuredBefore + shapes.Count, ConvolutionCheck.Native.MeasuredShapes);
        foreach (var shape in shapes)
            Assert.True(ConvolutionCheck.Native.CachedResult(shape) == true, $"{shape}: {ConvolutionCheck.Native.CachedResult(shape)}");
        Assert.Empty(log.Used);
    }

    [Fact]
    public void TheCheckNeitherDrawsFromNorReseedsTheGlobalGenerator()
    {
        random.manual_seed(99);
        using var before = random.get_rng_state();
        var shape = Shape(2, 16, 32, 9, ConvolutionPass.Training, get_num_threads()); // 9x9: not cached by other tests
        Assert.Equal(ConvolutionPath.Native, ConvolutionCheck.Choose(shape));
        Assert.True(ConvolutionCheck.Agrees(shape, ConvolutionCheck.ConvolveByIm2col));
        using var after = random.get_rng_state();
        Assert.True(before.eq(after).all().item<bool>(), "the global generator's state changed");
    }

    [Fact]
    public void TheConditionersSavedStateAndSeededInitialWeightsAreThoseOfItsConv2dModules()
    {
        // Saved models and checked-in fixtures depend on these names, and seeded Fits on the order of the draws.
        var plane = ImageMasks.Plane(ImageMasks.Checkerboard(1, 6, 6, 0));
        random.manual_seed(123);
        using var conditioner = new ResNetConditioner(1, 2, 16, 2, ConditionerActivation.Relu, batchNorm: true, plane);
        var keys = conditioner.state_dict().Keys.ToList();
        string[] norms = { "norm1", "norm2" };
        var expectedKeys = new List<string> { "in_conv.weight", "in_conv.bias" };
        for (int b = 0; b < 2; b++)
            expectedKeys.AddRange(new[] { "norm1.weight", "norm1.bias", "conv1.weight", "conv1.bias", "norm2.weight", "norm2.bias", "conv2.weight", "conv2.bias" }.Select(k => $"blocks.{b}.{k}"));
        expectedKeys.AddRange(new[] { "out_norm.weight", "out_norm.bias", "out_conv.weight", "out_conv.bias", "mask_plane" });
        for (int b = 0; b < 2; b++)
            foreach (var n in norms)
                expectedKeys.AddRange(new[] { "running_mean", "running_var", "num_batches_tracked" }.Select(k => $"blocks.{b}.{n}.{k}"));
        expectedKeys.AddRange(new[] { "out_norm.running_mean", "out_norm.running_var", "out_norm.num_batches_tracked" });
        Assert.Equal(expectedKeys, keys);

        // The same draws as plain Conv2d modules built in the conditioner's order (batch norm draws nothing).
        random.manual_seed(123);
        var replica = new[] { ("in_conv", nn.Conv2d(2, 16, 3, padding: 1)), ("blocks.0.conv1", nn.Conv2d(16, 16, 3, padding: 1)),
            ("blocks.0.conv2", nn.Conv2d(16, 16, 3, padding: 1)), ("blocks.1.conv1", nn.Conv2d(16, 16, 3, padding: 1)),
            ("blocks.1.conv2", nn.Conv2d(16, 16, 3, padding: 1)) };
        var state = conditioner.state_dict();
        foreach (var (name, conv) in replica)
        {
            Assert.True(state[$"{name}.weight"].eq(conv.weight).all().item<bool>(), $"{name}.weight differs");
            Assert.True(state[$"{name}.bias"].eq(conv.bias).all().item<bool>(), $"{name}.bias differs");
            conv.Dispose();
        }
        Assert.Equal(0.0, state["out_conv.weight"].abs().sum().item<float>());
    }

    [Fact]
    public void EveryFitOfAModelThatUsesAConvolutionFallbackWarnsAndTrainsAsThroughTheNativeKernel()
    {
        // The residual blocks' 16 -> 16 convolutions forced to fail: both Fits warn (the second with the check's result
        // cached from the first), and training through im2col gives the losses and scores of the native kernel.
        var rows = Bars(120, seed: 5);
        (double[] losses, float[] bits, List<string> warnings) FitAndScore()
        {
            var ml = new MLContext(3);
            var warnings = new List<string>();
            ml.Log += (_, e) => { if (e.Kind == Runtime.ChannelMessageKind.Warning) lock (warnings) warnings.Add(e.Message); };
            using var model = ml.Generative().RealNvpImage(new RealNvpImageOptions
            {
                Height = Side, Width = Side, PixelLevels = Levels, NumberOfScales = 2, FeatureMaps = 16, NumberOfResidualBlocks = 1,
                MaxEpochs = 2, BatchSize = 32, Seed = 3, NumberOfThreads = 1,
            }).Fit(ml.Data.LoadFromEnumerable(rows));
            var bits = ml.Data.CreateEnumerable<ImagePrediction>(model.Transform(ml.Data.LoadFromEnumerable(rows.Take(8))), reuseRowObject: false)
                .Select(p => p.BitsPerDimension).ToArray();
            return (model.TrainingSummary.History.Select(e => e.TrainingLoss).ToArray(), bits, warnings);
        }

        var native = FitAndScore();
        (double[] losses, float[] bits, List<string> warnings) first, second;
        using (ConvolutionCheck.Native.ForceWrong(s => s.InChannels == 16 && s.OutChannels == 16))
        {
            first = FitAndScore();
            second = FitAndScore();
        }

        Assert.DoesNotContain(native.warnings, w => w.Contains("convolution"));
        foreach (var warnings in new[] { first.warnings, second.warnings })
        {
            Assert.Contains(warnings, w => w.Contains("weight [16, 16, 3, 3]") && w.Contains(GuardedConvolution.Im2colDescription) && w.Contains("training"));
            Assert.Contains(warnings, w => w.Contains("weight [16, 16, 3, 3]") && w.Contains(GuardedConvolution.Im2colDescription) && w.Contains("inference"));
            Assert.DoesNotContain(warnings, w => w.Contains("convolution") && !w.Contains("weight [16, 16, 3, 3]"));
        }
        Assert.Equal(first.warnings, second.warnings);
        for (int i = 0; i < native.losses.Length; i++)
            Assert.True(Math.Abs(first.losses[i] - native.losses[i]) <= 1e-3 * Math.Abs(native.losses[i]), $"epoch {i + 1}: {first.losses[i]} vs {native.losses[i]}");
        for (int i = 0; i < native.bits.Length; i++)
            Assert.True(Math.Abs(first.bits[i] - native.bits[i]) <= 1e-3 * Math.Abs(native.bits[i]), $"image {i}: {first.bits[i]} vs {native.bits[i]} bits/dim");
    }
}
