using System;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Generative.Training
{
    /// <summary>
    /// Progress messages in the invariant culture ("1.2345", never "1,2345"), so tools that read MLContext.Log
    /// can parse them on any machine.
    /// </summary>
    internal static class ChannelMessages
    {
        public static void InfoInvariant(this IChannel channel, FormattableString message)
            => channel.Info(MessageSensitivity.None, FormattableString.Invariant(message));

        public static void WarningInvariant(this IChannel channel, FormattableString message)
            => channel.Warning(MessageSensitivity.None, FormattableString.Invariant(message));
    }
}
