using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Anomaly;

/// <summary>
/// A plain Real NVP written directly on TorchSharp, independent of the library (the reference the library must not
/// fall below): affine couplings z = b*x + (1-b)*(x*exp(s) + t) with (s, t) from an MLP of b*x; the masks alternate
/// even/odd feature indices and their complement; s = scale * tanh(raw) with a learned per-feature scale; the MLP's
/// last layer starts at zero (every coupling starts as the identity). No normalisation layers. Base: N(0, I).
/// </summary>
internal sealed class PlainRealNvp : nn.Module
{
    private readonly ModuleList<PlainCoupling> couplings;
    private readonly int _features;

    public PlainRealNvp(int features, int couplingCount, int hiddenSize) : base(nameof(PlainRealNvp))
    {
        _features = features;
        var list = new PlainCoupling[couplingCount];
        for (int i = 0; i < couplingCount; i++)
            list[i] = new PlainCoupling(features, hiddenSize, evenIndicesPassed: i % 2 == 0);
        couplings = new ModuleList<PlainCoupling>(list);
        RegisterComponents();
    }

    /// <summary>log p(x) per row (of standardised x).</summary>
    public Tensor LogLikelihood(Tensor x)
    {
        var logDet = zeros(x.shape[0]);
        foreach (var coupling in couplings)
        {
            var (z, ld) = coupling.Forward(x);
            x = z;
            logDet = logDet + ld;
        }
        return -0.5 * x.pow(2).sum(1) - 0.5 * _features * Math.Log(2 * Math.PI) + logDet;
    }
}

/// <summary>One affine coupling of <see cref="PlainRealNvp"/>.</summary>
internal sealed class PlainCoupling : nn.Module
{
    private readonly Tensor mask;          // 1 = passed through and conditioned on
    private readonly Tensor inverse_mask;  // 1 = transformed
    private readonly Sequential net;
    private readonly Parameter scale;
    private readonly long _features;

    public PlainCoupling(int features, int hiddenSize, bool evenIndicesPassed) : base(nameof(PlainCoupling))
    {
        _features = features;
        var m = new float[features];
        for (int i = 0; i < features; i++) m[i] = (i % 2 == 0) == evenIndicesPassed ? 1f : 0f;
        mask = tensor(m).unsqueeze(0);
        inverse_mask = 1f - mask;
        var last = nn.Linear(hiddenSize, 2 * features);
        using (no_grad())
        {
            last.weight.zero_();
            last.bias.zero_();
        }
        net = nn.Sequential(
            ("fc1", nn.Linear(features, hiddenSize)), ("relu1", nn.ReLU()),
            ("fc2", nn.Linear(hiddenSize, hiddenSize)), ("relu2", nn.ReLU()),
            ("out", last));
        scale = nn.Parameter(ones(1, features));
        RegisterComponents();
    }

    public (Tensor z, Tensor logDet) Forward(Tensor x)
    {
        var passed = x * mask;
        var h = net.call(passed);
        var s = scale * h.narrow(1, 0, _features).tanh() * inverse_mask;
        var t = h.narrow(1, _features, _features) * inverse_mask;
        return (passed + inverse_mask * (x * s.exp() + t), s.sum(1));
    }
}
