// Writes a copy of each given assembly in which internal (and private protected) types and members are
// visible, for use as a compile-time reference only. The real assembly is what loads at run time.
//   usage: Publicizer <outDir> <assembly.dll>...
// Only rewrites when the input is newer than the existing output, so incremental builds stay fast.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Publicizer <outDir> <assembly.dll>...");
    return 2;
}

string outDir = args[0];
Directory.CreateDirectory(outDir);
foreach (string input in args.Skip(1))
{
    string output = Path.Combine(outDir, Path.GetFileName(input));
    if (File.Exists(output) && File.GetLastWriteTimeUtc(output) >= File.GetLastWriteTimeUtc(input))
        continue;

    var resolver = new DefaultAssemblyResolver();
    resolver.AddSearchDirectory(Path.GetDirectoryName(input));
    using var assembly = AssemblyDefinition.ReadAssembly(input, new ReaderParameters { AssemblyResolver = resolver });
    int changed = 0;
    foreach (var type in assembly.Modules.SelectMany(m => m.GetTypes()))
    {
        if (type.Name.StartsWith('<')) continue; // compiler-generated

        // internal -> public; private protected -> protected, so our overrides stay 'protected'
        // and do not leak into the library's public surface.
        if (type.IsNested)
        {
            if (type.IsNestedAssembly || type.IsNestedFamilyOrAssembly) { type.IsNestedPublic = true; changed++; }
            else if (type.IsNestedFamilyAndAssembly) { type.IsNestedFamily = true; changed++; }
        }
        else if (type.IsNotPublic) { type.IsPublic = true; changed++; }

        foreach (var method in type.Methods)
        {
            if (method.IsAssembly || method.IsFamilyOrAssembly) { method.IsPublic = true; changed++; }
            else if (method.IsFamilyAndAssembly) { method.IsFamily = true; changed++; }
        }

        // Event backing fields share the event's name; making them public would clash with the event.
        var eventNames = new HashSet<string>(type.Events.Select(e => e.Name));
        foreach (var field in type.Fields)
        {
            if (eventNames.Contains(field.Name)) continue;
            if (field.IsAssembly || field.IsFamilyOrAssembly) { field.IsPublic = true; changed++; }
            else if (field.IsFamilyAndAssembly) { field.IsFamily = true; changed++; }
        }
    }
    assembly.Write(output);
    Console.WriteLine($"publicized {changed} members: {output}");
}
return 0;
