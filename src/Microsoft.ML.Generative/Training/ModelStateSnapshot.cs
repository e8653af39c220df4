using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Training
{
    /// <summary>
    /// A deep copy of a module's parameters and buffers (not references: later optimizer steps must not change it),
    /// used to keep the best weights during training and to restore them at the end.
    /// </summary>
    internal sealed class ModelStateSnapshot : IDisposable
    {
        private readonly Dictionary<string, Tensor> _state = new Dictionary<string, Tensor>();

        private ModelStateSnapshot() { }

        public static ModelStateSnapshot Capture(nn.Module module)
        {
            var snapshot = new ModelStateSnapshot();
            using (no_grad())
                foreach (var (name, tensor) in module.state_dict())
                    snapshot._state[name] = tensor.detach().clone().DetachFromDisposeScope();
            return snapshot;
        }

        public void RestoreInto(nn.Module module)
        {
            using (no_grad())
                foreach (var (name, tensor) in module.state_dict())
                    tensor.copy_(_state[name]);
        }

        public void Dispose()
        {
            foreach (var t in _state.Values) t.Dispose();
            _state.Clear();
        }
    }
}
