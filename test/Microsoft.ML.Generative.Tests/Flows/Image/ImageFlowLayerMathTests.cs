using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Flows.Image;
using Microsoft.ML.Generative.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Flows.Image;

/// <summary>
/// Every image flow layer type, away from its identity initialisation: exact inverse (float32, on random images),
/// and log|det J| equal to an autograd Jacobian's (float64, on tiny images).
/// </summary>
public class ImageFlowLayerMathTests
{
    public static IEnumerable<object[]> LayerKinds() => new[]
    {
        new object[] { "checkerboard-coupling" }, new object[] { "checkerboard-coupling-unbounded" },
        new object[] { "checkerboard-coupling-batchnorm-conditioner" }, new object[] { "channelwise-coupling" },
        new object[] { "squeeze" }, new object[] { "batchnorm-eval" }, new object[] { "logit" },
        new object[] { "multiscale-1x4x4-2scales" }, new object[] { "multiscale-2x4x4-2scales-batchnorm" },
        new object[] { "multiscale-1x4x4-3scales" }, new object[] { "multiscale-1x2x6-1scale" },
        new object[] { "actnorm" }, new object[] { "multiscale-2x4x4-2scales-actnorm" },
    };

    // The input shape [C, H, W] of each kind, and whether it takes pixels in [0, K) rather than real values.
    private static (long[] shape, bool pixels) InputOf(string kind) => kind switch
    {
        "checkerboard-coupling" or "checkerboard-coupling-unbounded" or "checkerboard-coupling-batchnorm-conditioner" => (new long[] { 2, 4, 4 }, false),
        "channelwise-coupling" => (new long[] { 4, 4, 4 }, false),
        "squeeze" => (new long[] { 2, 4, 2 }, false),
        "batchnorm-eval" or "actnorm" => (new long[] { 3, 2, 3 }, false),
        "logit" => (new long[] { 2, 3, 3 }, true),
        "multiscale-1x4x4-2scales" or "multiscale-1x4x4-3scales" => (new long[] { 1, 4, 4 }, false),
        "multiscale-2x4x4-2scales-batchnorm" or "multiscale-2x4x4-2scales-actnorm" => (new long[] { 2, 4, 4 }, false),
        "multiscale-1x2x6-1scale" => (new long[] { 1, 2, 6 }, false),
        _ => throw new ArgumentException(kind),
    };

    private static FlowLayer Create(string kind)
    {
        FlowLayer layer = kind switch
        {
            "checkerboard-coupling" => Coupling(ImageMasks.Checkerboard(2, 4, 4, 0), checkerboard: true, bound: true, batchNorm: false),
            "checkerboard-coupling-unbounded" => Coupling(ImageMasks.Checkerboard(2, 4, 4, 1), checkerboard: true, bound: false, batchNorm: false),
            "checkerboard-coupling-batchnorm-conditioner" => Coupling(ImageMasks.Checkerboard(2, 4, 4, 1), checkerboard: true, bound: true, batchNorm: true),
            "channelwise-coupling" => Coupling(ImageMasks.ChannelWise(4, 4, 4, 1), checkerboard: false, bound: true, batchNorm: false),
            "squeeze" => new SqueezeLayer(),
            "batchnorm-eval" => new BatchNormFlow(3),
            "actnorm" => new ActNorm(3),
            "logit" => new LogitPreprocessing(17, alpha: 0.05),
            "multiscale-1x4x4-2scales" => MultiScale(1, 4, 4, 2, FlowNormalization.None),
            "multiscale-2x4x4-2scales-batchnorm" => MultiScale(2, 4, 4, 2, FlowNormalization.BatchNorm),
            "multiscale-2x4x4-2scales-actnorm" => MultiScale(2, 4, 4, 2, FlowNormalization.ActNorm),
            "multiscale-1x4x4-3scales" => MultiScale(1, 4, 4, 3, FlowNormalization.None),
            "multiscale-1x2x6-1scale" => MultiScale(1, 2, 6, 1, FlowNormalization.None),
            _ => throw new ArgumentException(kind),
        };
        ImageTestModules.Randomize(layer, seed: kind.Length);
        layer.eval();
        return layer;
    }

    private static AffineCoupling Coupling(float[,,] mask, bool checkerboard, bool bound, bool batchNorm)
    {
        int c = mask.GetLength(0);
        var conditioner = new ResNetConditioner(c, 2 * c, featureMaps: 16, residualBlocks: 1, ConditionerActivation.Relu, batchNorm,
            checkerboard ? ImageMasks.Plane(mask) : null);
        return new AffineCoupling(mask, conditioner, bound);
    }

    private static MultiScaleRealNvp MultiScale(int c, int h, int w, int scales, FlowNormalization normalization) => new(new ImageRealNvpArchitecture
    {
        Channels = c, Height = h, Width = w, Scales = scales, FeatureMaps = 16, ResidualBlocks = 1,
        ConditionerBatchNorm = true, Normalization = normalization, Activation = ConditionerActivation.Silu,
    });

    private static Tensor Input(string kind, long batch, ScalarType dtype, Generator g, double realScale = 1.5)
    {
        var (shape, pixels) = InputOf(kind);
        var full = new[] { batch }.Concat(shape).ToArray();
        if (pixels) // dequantized pixel values of a 17-level image: in [0, 17)
            return (randint(0, 17, full, generator: g).to(dtype) + rand(full, dtype: dtype, generator: g));
        return randn(full, dtype: dtype, generator: g) * realScale;
    }

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void InverseUndoesForward(string kind)
    {
        using var layer = Create(kind);
        using var scope = NewDisposeScope();
        using var g = new Generator(11, CPU);
        var x = Input(kind, 16, ScalarType.Float32, g);
        var (z, logDetForward) = layer.Forward(x);
        var (back, logDetInverse) = layer.Inverse(z);
        Assert.Equal(x.shape, back.shape);
        double error = ImageTestModules.MaxAbs(back - x);
        Assert.True(error <= 1e-4, $"{kind}: max |f^-1(f(x)) - x| = {error}");
        Assert.True(ImageTestModules.MaxAbs(logDetForward + logDetInverse) <= 1e-4, $"{kind}: inverse log-det is not the negative of the forward log-det");
        Assert.Equal(new[] { 16L }, logDetForward.shape);
        if (kind != "squeeze") // a pure permutation is meant to move values, nothing else
        {
            var zAsInput = z.reshape(x.shape);
            Assert.True(ImageTestModules.MaxAbs(zAsInput - x) > 1e-2, $"{kind}: the layer is (nearly) the identity, so this test would prove nothing");
        }
    }

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void LogDetMatchesAutogradJacobian(string kind)
    {
        using var layer = Create(kind);
        layer.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        using var g = new Generator(5, CPU);
        for (int trial = 0; trial < 2; trial++)
        {
            var x = Input(kind, 1, ScalarType.Float64, g);
            double expected = ImageTestModules.LogAbsDetJacobian(v => layer.Forward(v).z, x);
            double actual = layer.Forward(x).logDet.item<double>();
            Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{kind}: log-det {actual} vs numerical {expected}");
            if (kind != "squeeze")
                Assert.True(Math.Abs(expected) > 0.1, $"{kind}: log|det J| = {expected} is too close to 0 for this test to prove anything");
        }
    }

    [Fact]
    public void OneBackwardJacobianAgreesWithOneBackwardPerOutput()
    {
        // The fast Jacobian of ImageTestModules against the per-output autograd Jacobian the vector tests use.
        using var layer = Create("channelwise-coupling");
        layer.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        using var g = new Generator(6, CPU);
        var x = Input("channelwise-coupling", 1, ScalarType.Float64, g);
        double perOutput = TestModules.NumericalLogAbsDet(v => layer.Forward(v).z, x);
        // Two float64 Jacobians of the same map, assembled differently: equal to rounding of terms of order 1.
        AssertClose.Relative(perOutput, ImageTestModules.LogAbsDetJacobian(v => layer.Forward(v).z, x), 1e-9, "log|det J|: one backward pass vs one per output", magnitude: 1);
    }

    [Fact]
    public void ImageCouplingLeavesPassedEntriesAloneAndDependsOnlyOnThem()
    {
        var mask = ImageMasks.Checkerboard(1, 4, 4, 0);
        using var coupling = Coupling(mask, checkerboard: true, bound: true, batchNorm: false);
        ImageTestModules.Randomize(coupling, seed: 3);
        using var scope = NewDisposeScope();
        using var g = new Generator(2, CPU);
        var b = tensor(mask.Cast<float>().ToArray(), new long[] { 1, 1, 4, 4 });
        var x = randn(new long[] { 3, 1, 4, 4 }, generator: g);
        var (z, _) = coupling.Forward(x);
        Assert.True(ImageTestModules.SameValues(z * b, x * b), "passed-through pixels must be copied exactly");
        // Changing a transformed pixel changes only that output pixel (the Jacobian is triangular).
        var x2 = x.clone();
        x2[0, 0, 0, 1] = x2[0, 0, 0, 1] + 1; // (0 + 1) % 2 = 1: transformed at parity 0
        var (z2, _) = coupling.Forward(x2);
        var changed = (z2 - z).abs() > 0;
        Assert.Equal(1L, changed.sum().item<long>());
        Assert.True(changed[0, 0, 0, 1].item<bool>());
    }

    [Fact]
    public void ParameterShapes_VectorCouplingUnchanged_ImageCouplingPerChannel()
    {
        using var vector = new AffineCoupling(VectorMasks.ForLayer(0, 5), new MlpConditioner(5, 8, 1, 10, ConditionerActivation.Tanh));
        var vectorParams = vector.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(new long[] { 1, 5 }, vectorParams["scale"]);
        Assert.Equal(new long[] { 1, 5 }, vector.named_buffers().Single(b => b.name == "mask").buffer.shape);

        using var image = Coupling(ImageMasks.ChannelWise(4, 2, 3, 0), checkerboard: false, bound: true, batchNorm: false);
        var imageParams = image.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(new long[] { 1, 4, 1, 1 }, imageParams["scale"]);
        Assert.Equal(new long[] { 1, 4, 2, 3 }, image.named_buffers().Single(b => b.name == "mask").buffer.shape);
    }

    [Fact]
    public void VectorCouplingStillComputesThePaperFormulaBitForBit()
    {
        // The vector path of the generalised coupling: z = b*x + (1-b)*(x*exp(s) + t), s = scale*tanh(raw)*(1-b),
        // log-det = s.sum(1): the same tensor operations as before, so identical bits.
        const int d = 6;
        var conditioner = new MlpConditioner(d, 16, 2, 2 * d, ConditionerActivation.Tanh);
        using var coupling = new AffineCoupling(VectorMasks.ForLayer(1, d), conditioner);
        TestModules.Randomize(coupling, seed: 9);
        using var scope = NewDisposeScope();
        using var g = new Generator(4, CPU);
        var x = randn(new long[] { 32, d }, generator: g);
        var b = tensor(VectorMasks.ForLayer(1, d)).unsqueeze(0);
        var scale = coupling.named_parameters().Single(p => p.name == "scale").parameter;
        var h = conditioner.call(x * b);
        var s = scale * h.narrow(1, 0, d).tanh() * (1f - b);
        var t = h.narrow(1, d, d) * (1f - b);
        var expectedZ = x * b + (1f - b) * (x * s.exp() + t);
        var (z, logDet) = coupling.Forward(x);
        Assert.True(ImageTestModules.SameValues(z, expectedZ));
        Assert.True(ImageTestModules.SameValues(logDet, s.sum(1)));
    }

    [Fact]
    public void ImageActNormInitialisesEachChannelToZeroMeanUnitVarianceOverBatchAndPositions()
    {
        using var layer = new ActNorm(2);
        using var scope = NewDisposeScope();
        using var g = new Generator(4, CPU);
        var x = randn(new long[] { 64, 2, 5, 3 }, generator: g) * tensor(new[] { 4f, 0.2f }).reshape(1, 2, 1, 1) + tensor(new[] { -7f, 2f }).reshape(1, 2, 1, 1);
        layer.train();
        var (z, logDet) = layer.Forward(x);
        Assert.True(layer.IsInitialized);
        var perChannel = z.transpose(0, 1).reshape(2, -1);
        Assert.True(perChannel.mean(new long[] { 1 }).abs().max().item<float>() < 1e-4f);
        Assert.True((perChannel.std(1) - 1).abs().max().item<float>() < 1e-3f);
        // log|det| per image: every one of the 5 x 3 positions of a channel is scaled by 1 / (that channel's std in the batch).
        double expected = -15 * x.transpose(0, 1).reshape(2, -1).std(1).to(ScalarType.Float64).log().sum().item<double>();
        Assert.True(Math.Abs(logDet[0].item<float>() - expected) <= 1e-5 * Math.Abs(expected), $"log-det {logDet[0].item<float>()} vs {expected} (relative tolerance 1e-5)");
        layer.eval();
        var (again, _) = layer.Forward(x);
        Assert.True((again - z).abs().max().item<float>() < 1e-5f, "after initialisation the layer is the same map in training and scoring");
    }

    [Fact]
    public void ImageBatchNormUsesPerChannelStatisticsOverBatchAndPositions()
    {
        using var layer = new BatchNormFlow(2, momentum: 1.0);
        using var scope = NewDisposeScope();
        using var g = new Generator(8, CPU);
        var x = randn(new long[] { 4, 2, 3, 3 }, generator: g) * tensor(new[] { 5f, 0.2f }).reshape(1, 2, 1, 1) + tensor(new[] { 10f, -3f }).reshape(1, 2, 1, 1);
        layer.train();
        var (z, logDet) = layer.Forward(x);
        var perChannelMean = z.mean(new long[] { 0, 2, 3 });
        var perChannelVar = z.pow(2).mean(new long[] { 0, 2, 3 });
        Assert.True(ImageTestModules.MaxAbs(perChannelMean) < 1e-4, "each channel is centred over batch and positions");
        Assert.True(ImageTestModules.MaxAbs(perChannelVar - 1) < 1e-3, "each channel has unit variance over batch and positions");
        // log-det per row: H*W * sum_c -0.5 log(var_c + eps) (log gamma = 0), from the batch's own statistics.
        double expected = 0, terms = 0;
        for (int c = 0; c < 2; c++)
        {
            var xc = x.select(1, c);
            double variance = (xc - xc.mean()).pow(2).mean().item<float>();
            expected += 9 * -0.5 * Math.Log(variance + 1e-5);
            terms += Math.Abs(9 * -0.5 * Math.Log(variance + 1e-5));
        }
        // float32 variances summed in another order than batch norm's: about 1e-6 of each term. The two channels' terms
        // (std 5 and 0.2) nearly cancel, so the tolerance is relative to their sizes, not to their sum.
        AssertClose.Relative(expected, logDet[0].item<float>(), 1e-5, "batch-norm log-det vs the per-channel formula", magnitude: terms);
        // momentum 1: the running averages are this batch's statistics, so evaluation mode reproduces the map.
        layer.eval();
        Assert.True(ImageTestModules.MaxAbs(layer.Forward(x).z - z) < 1e-4);
        Assert.Equal(new long[] { 1, 2 }, layer.named_buffers().Single(b => b.name == "running_mean").buffer.shape);
    }
}
