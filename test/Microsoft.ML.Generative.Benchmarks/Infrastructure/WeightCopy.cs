using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Infrastructure;

/// <summary>
/// A copy of a model's parameter values, for the hand-written loops' "keep the best epoch": taken at construction
/// (the initial weights), replaced on every improvement, written back at the end.
/// </summary>
internal sealed class WeightCopy : IDisposable
{
    private readonly Tensor[] _values;

    public WeightCopy(IReadOnlyList<Parameter> parameters)
    {
        using var _ = no_grad();
        _values = parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
    }

    public void CopyFrom(IReadOnlyList<Parameter> parameters)
    {
        using var _ = no_grad();
        for (int i = 0; i < _values.Length; i++) _values[i].copy_(parameters[i]);
    }

    public void CopyTo(IReadOnlyList<Parameter> parameters)
    {
        using var _ = no_grad();
        for (int i = 0; i < _values.Length; i++) parameters[i].copy_(_values[i]);
    }

    public void Dispose()
    {
        foreach (var v in _values) v.Dispose();
    }
}
