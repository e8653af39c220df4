using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Sequence
{
    /// <summary>
    /// A stacked, unidirectional, batch-first LSTM computed one time step at a time from the parameters of a TorchSharp
    /// <c>nn.LSTM</c> (names <c>weight_ih_l{k}</c>, <c>weight_hh_l{k}</c>, <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c>; gate
    /// order i, f, g, o, as in PyTorch). The same function as the fused module, for CPUs on which the fused kernel is
    /// wrong (see <see cref="FusedLstmCheck"/>); slower, because every step is its own few tensor operations.
    /// </summary>
    /// <remarks>
    /// Inter-layer dropout is drawn exactly as libtorch 2.10's fused CPU LSTM draws it, so a seeded run gives the same
    /// masks on either path: the module runs layer by layer on time-major [time, batch, hidden] tensors and applies
    /// <c>dropout</c> to each contiguous time-major layer output but the last, in layer order, from the global generator
    /// (ATen's mkldnn_rnn; measured in LstmKernelCheckTests). This class therefore works time-major too.
    /// </remarks>
    internal static class StepwiseLstm
    {
        /// <param name="parameters">The module's parameters by name (see the summary).</param>
        /// <param name="layers">Number of stacked layers.</param>
        /// <param name="dropout">Dropout on the outputs of every layer but the last, applied only when <paramref name="training"/>.</param>
        /// <param name="training">Whether inter-layer dropout is active (the module's training flag).</param>
        /// <param name="x">Input [batch, time, input].</param>
        /// <param name="h0">Initial hidden state [layers, batch, hidden].</param>
        /// <param name="c0">Initial cell state [layers, batch, hidden].</param>
        /// <returns>The top layer's outputs [batch, time, hidden] and the final h and c [layers, batch, hidden].</returns>
        public static (Tensor output, Tensor h, Tensor c) Forward(IReadOnlyDictionary<string, Tensor> parameters, int layers,
            double dropout, bool training, Tensor x, Tensor h0, Tensor c0)
            => Forward(parameters, layers, x, h0, c0,
                training && dropout > 0 ? (_, output) => nn.functional.dropout(output, dropout, training: true) : null);

        /// <summary>The same, with <paramref name="betweenLayers"/> applied to the output of every layer but the last.</summary>
        /// <param name="parameters">The module's parameters by name (see the summary).</param>
        /// <param name="layers">Number of stacked layers.</param>
        /// <param name="x">Input [batch, time, input].</param>
        /// <param name="h0">Initial hidden state [layers, batch, hidden].</param>
        /// <param name="c0">Initial cell state [layers, batch, hidden].</param>
        /// <param name="betweenLayers">(layer, its contiguous time-major output [time, batch, hidden]) -> the next layer's input; null for none.</param>
        public static (Tensor output, Tensor h, Tensor c) Forward(IReadOnlyDictionary<string, Tensor> parameters, int layers,
            Tensor x, Tensor h0, Tensor c0, Func<int, Tensor, Tensor> betweenLayers)
        {
            if (x.ndim != 3) throw new ArgumentException($"Expected input [batch, time, features], got [{string.Join(", ", x.shape)}].", nameof(x));
            long time = x.shape[1];
            var input = x.transpose(0, 1); // [time, batch, features]
            var finalH = new Tensor[layers];
            var finalC = new Tensor[layers];
            for (int l = 0; l < layers; l++)
            {
                var recurrentWeight = parameters[$"weight_hh_l{l}"].t();
                // One matmul projects every time step's input at once; only the recurrent part is sequential.
                var projected = nn.functional.linear(input, parameters[$"weight_ih_l{l}"], parameters[$"bias_ih_l{l}"] + parameters[$"bias_hh_l{l}"]);
                var h = h0.select(0, l);
                var c = c0.select(0, l);
                var outputs = new Tensor[time];
                for (long t = 0; t < time; t++)
                {
                    var gates = projected.select(0, t) + h.matmul(recurrentWeight);
                    var parts = gates.chunk(4, 1);
                    c = parts[1].sigmoid() * c + parts[0].sigmoid() * parts[2].tanh();
                    h = parts[3].sigmoid() * c.tanh();
                    outputs[t] = h;
                }
                input = time > 0 ? stack(outputs, 0) : projected.narrow(2, 0, h.shape[1]);
                if (betweenLayers is not null && l < layers - 1)
                    input = betweenLayers(l, input);
                finalH[l] = h;
                finalC[l] = c;
            }
            return (input.transpose(0, 1), stack(finalH, 0), stack(finalC, 0));
        }
    }
}
