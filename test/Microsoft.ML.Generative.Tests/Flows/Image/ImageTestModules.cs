using Microsoft.ML.Generative.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Flows.Image;

/// <summary>Helpers for the image flow tests.</summary>
public static class ImageTestModules
{
    /// <summary>
    /// Random weights that keep a deep stack of convolutional couplings well scaled: every parameter in
    /// [-0.1, 0.1] (conv outputs stay O(1)), the conditioners' output convs (zero at initialisation) in [-0.3, 0.3],
    /// and every coupling's log-scale bound in [0.5, 1.5], so that couplings really scale and shift.
    /// </summary>
    public static void Randomize(nn.Module module, int seed)
    {
        TestModules.Randomize(module, seed, scale: 0.1);
        using var g = new Generator((ulong)seed + 1000, CPU);
        using var _ = no_grad();
        foreach (var (name, p) in module.named_parameters())
        {
            if (name == "scale" || name.EndsWith(".scale"))
                p.copy_(rand(p.shape, dtype: p.dtype, generator: g) + 0.5);
            else if (name.Contains("out_conv."))
                p.copy_((rand(p.shape, dtype: p.dtype, generator: g) * 2 - 1) * 0.3);
        }
    }

    /// <summary>
    /// log|det J| of <paramref name="f"/> at a single point x [1, ...] (float64, autograd) with one backward pass:
    /// x is repeated D times, copy i contributes its output i, so the input gradient of copy i is row i of J. Valid for
    /// maps that treat rows independently (flows in evaluation mode), which is checked.
    /// </summary>
    public static double LogAbsDetJacobian(Func<Tensor, Tensor> f, Tensor x)
    {
        long d = x.numel();
        var repeated = x.detach().expand(new[] { d }.Concat(x.shape.Skip(1)).ToArray()).clone().requires_grad_(true);
        var z = f(repeated).reshape(d, -1);
        if (z.shape[1] != d) throw new InvalidOperationException($"the map is not square: {d} inputs, {z.shape[1]} outputs.");
        var single = f(x.detach()).reshape(1, -1);
        if (MaxAbs(z.detach() - single) > 1e-12) throw new InvalidOperationException("the map does not treat rows independently.");
        var grad = torch.autograd.grad(new[] { z.diagonal().sum() }, new[] { repeated })[0];
        var (_, logAbsDet) = linalg.slogdet(grad.reshape(d, d));
        return logAbsDet.item<double>();
    }

    /// <summary>True if both tensors have the same shape and exactly the same values.</summary>
    public static bool SameValues(Tensor a, Tensor b)
        => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>Maximum absolute value of a tensor, as a double.</summary>
    public static double MaxAbs(Tensor t) => t.abs().max().to(ScalarType.Float64).item<double>();
}
