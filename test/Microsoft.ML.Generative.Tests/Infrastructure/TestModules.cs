using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Infrastructure;

/// <summary>Helpers for testing flow modules away from their (identity-like) initialisation.</summary>
public static class TestModules
{
    /// <summary>
    /// Gives every parameter random values (so couplings are far from the identity their zero-initialised last
    /// layers start at) and batch-norm running statistics plausible random values. Masks are left alone.
    /// </summary>
    public static void Randomize(nn.Module module, int seed, double scale = 0.4)
    {
        using var g = new Generator((ulong)seed, CPU);
        using var _ = no_grad();
        foreach (var (name, p) in module.named_parameters())
            p.copy_((rand(p.shape, dtype: p.dtype, generator: g) * 2 - 1) * scale);
        foreach (var (name, b) in module.named_buffers())
        {
            if (name.EndsWith("running_mean")) b.copy_((rand(b.shape, dtype: b.dtype, generator: g) * 2 - 1) * 0.5);
            if (name.EndsWith("running_var")) b.copy_(rand(b.shape, dtype: b.dtype, generator: g) * 1.5 + 0.5);
        }
    }

    /// <summary>The Jacobian dz/dx of <paramref name="f"/> at a single point x of shape [1, d] (float64, autograd).</summary>
    public static Tensor Jacobian(Func<Tensor, Tensor> f, Tensor x)
    {
        var input = x.detach().clone().requires_grad_(true);
        var z = f(input).reshape(-1);
        long n = z.shape[0];
        var rows = new List<Tensor>();
        for (long i = 0; i < n; i++)
        {
            var grad = torch.autograd.grad(new[] { z[i] }, new[] { input }, retain_graph: true)[0];
            rows.Add(grad.reshape(-1));
        }
        return stack(rows);
    }

    /// <summary>log|det J| of <paramref name="f"/> at x (float64).</summary>
    public static double NumericalLogAbsDet(Func<Tensor, Tensor> f, Tensor x)
    {
        var (_, logAbsDet) = linalg.slogdet(Jacobian(f, x));
        return logAbsDet.item<double>();
    }
}
