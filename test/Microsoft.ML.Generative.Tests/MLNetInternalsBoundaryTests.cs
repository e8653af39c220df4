using Mono.Cecil;
using Mono.Cecil.Cil;
using Xunit;

namespace Microsoft.ML.Generative.Tests;

/// <summary>
/// The library compiles against publicized ML.NET assemblies, so the compiler cannot stop an accidental use of an
/// ML.NET internal. This test reads the library's IL and fails if any type outside the MLNetInternals namespace
/// references a non-public ML.NET type or member.
/// </summary>
public class MLNetInternalsBoundaryTests
{
    private const string AllowedNamespace = "Microsoft.ML.Generative.MLNetInternals";

    [Fact]
    public void OnlyTheMLNetInternalsFolderUsesMLNetInternals()
    {
        string library = typeof(RealNvpTransformer).Assembly.Location;
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(library)); // the real (non-publicized) ML.NET DLLs
        using var assembly = AssemblyDefinition.ReadAssembly(library, new ReaderParameters { AssemblyResolver = resolver });
        var violations = new SortedSet<string>();
        int checkedReferences = 0;

        foreach (var type in assembly.MainModule.GetTypes())
        {
            string ns = Outermost(type).Namespace;
            if (ns == AllowedNamespace || ns == "System.Runtime.CompilerServices") continue;
            void Check(MemberReference reference, string where)
            {
                if (reference is null) return;
                checkedReferences++;
                if (!IsAccessible(reference)) violations.Add($"{type.FullName}: {where} uses {reference.FullName}");
            }
            Check(type.BaseType, "base type");
            foreach (var i in type.Interfaces) Check(i.InterfaceType, "interface");
            foreach (var f in type.Fields) Check(f.FieldType, $"field {f.Name}");
            foreach (var p in type.Properties) Check(p.PropertyType, $"property {p.Name}");
            foreach (var m in type.Methods)
            {
                Check(m.ReturnType, $"{m.Name} return type");
                foreach (var p in m.Parameters) Check(p.ParameterType, $"{m.Name} parameter {p.Name}");
                if (!m.HasBody) continue;
                foreach (var v in m.Body.Variables) Check(v.VariableType, $"{m.Name} local");
                foreach (var instruction in m.Body.Instructions)
                    if (instruction.Operand is MemberReference operand)
                        Check(operand, $"{m.Name} ({instruction.OpCode})");
            }
        }
        Assert.True(checkedReferences > 1000, "the scan found too little IL to be meaningful");
        Assert.True(violations.Count == 0, "ML.NET internals used outside MLNetInternals/:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void TheScanDetectsAnInternalUse()
    {
        // Negative control: MLNetInternals itself does use internals, and the scan must see them.
        var internals = typeof(RealNvpTransformer).Assembly.GetTypes().Where(t => t.Namespace == AllowedNamespace).Select(t => t.FullName).ToHashSet();
        string library = typeof(RealNvpTransformer).Assembly.Location;
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(library));
        using var assembly = AssemblyDefinition.ReadAssembly(library, new ReaderParameters { AssemblyResolver = resolver });
        var zipEntry = assembly.MainModule.GetType("Microsoft.ML.Generative.MLNetInternals.ModelZipEntry");
        var save = zipEntry.Methods.Single(m => m.Name == "Save");
        Assert.Contains(save.Body.Instructions, i => i.Operand is MemberReference r && !IsAccessible(r));
    }

    private static TypeDefinition Outermost(TypeDefinition t)
    {
        while (t.DeclaringType != null) t = t.DeclaringType;
        return t;
    }

    private static bool IsMLNet(MemberReference r)
    {
        var type = r as TypeReference ?? r.DeclaringType;
        while (type is TypeSpecification spec) type = spec.ElementType;
        string scope = type?.Scope?.Name ?? "";
        return scope.StartsWith("Microsoft.ML", StringComparison.Ordinal) && !scope.StartsWith("Microsoft.ML.Generative", StringComparison.Ordinal);
    }

    private static bool IsAccessible(MemberReference reference)
    {
        switch (reference)
        {
            case GenericInstanceType git:
                return IsAccessible(git.ElementType) && git.GenericArguments.All(IsAccessible);
            case TypeSpecification spec:
                return IsAccessible(spec.ElementType);
            case GenericParameter:
                return true;
            case GenericInstanceMethod gim:
                return IsAccessible(gim.ElementMethod) && gim.GenericArguments.All(IsAccessible);
        }
        if (!IsMLNet(reference)) return true;
        if (reference is TypeReference typeRef)
            return IsVisible(typeRef.Resolve());
        if (!IsAccessible(reference.DeclaringType)) return false;
        switch (reference)
        {
            case MethodReference m:
                var md = m.Resolve();
                return md != null && (md.IsPublic || md.IsFamily || md.IsFamilyOrAssembly);
            case FieldReference f:
                var fd = f.Resolve();
                return fd != null && (fd.IsPublic || fd.IsFamily || fd.IsFamilyOrAssembly);
            default:
                return true;
        }
    }

    private static bool IsVisible(TypeDefinition t)
    {
        if (t is null) return false;
        while (t.IsNested)
        {
            if (!(t.IsNestedPublic || t.IsNestedFamily || t.IsNestedFamilyOrAssembly)) return false;
            t = t.DeclaringType;
        }
        return t.IsPublic;
    }
}
