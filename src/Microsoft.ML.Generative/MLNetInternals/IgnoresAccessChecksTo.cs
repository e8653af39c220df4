// This folder is the only place in the library that touches ML.NET internals (see docs/MLNET-INTERNALS.md).
// The C# compiler sees publicized copies of the two assemblies below (build/Publicize.targets); at run time the
// real assemblies load, and CoreCLR honours this attribute by name, letting this assembly call their internal
// members. Keep the list in sync with <PublicizeAssemblies> in the project file.
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Data")]

namespace System.Runtime.CompilerServices
{
    /// <summary>Recognised by the runtime by name; not shipped in the base class library.</summary>
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
    internal sealed class IgnoresAccessChecksToAttribute : Attribute
    {
        public IgnoresAccessChecksToAttribute(string assemblyName) => AssemblyName = assemblyName;
        public string AssemblyName { get; }
    }
}
