#!/usr/bin/env bash
# Packs Microsoft.ML.Generative, builds a throwaway console app that references the package (not the project),
# and runs it: TorchSharp must load and a flow must train, which only works if the package's
# buildTransitive/Microsoft.ML.Generative.targets weakened GLIBCXX_3.4.32 in the app's output.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A unique pre-release version: the machine's package cache can never hold a stale copy of it.
version="0.0.0-verify.$(date +%Y%m%d%H%M%S).$$"
dotnet pack "$root/src/Microsoft.ML.Generative" -c Release -o "$work/feed" -p:Version="$version" --nologo -v q
grep -aq "buildTransitive/Microsoft.ML.Generative.targets" "$work"/feed/Microsoft.ML.Generative.*.nupkg \
    || { echo "error: the package lacks buildTransitive/Microsoft.ML.Generative.targets" >&2; exit 1; }

mkdir -p "$work/app"
cd "$work/app"
# The consumer lives outside the repository: no Directory.*.props, its own local feed plus the machine's sources.
cat > nuget.config <<XML
<configuration><packageSources><add key="local" value="$work/feed" /></packageSources></configuration>
XML
cat > App.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.ML.Generative" Version="$version" />
    <PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />
  </ItemGroup>
</Project>
XML
cat > Program.cs <<'CS'
using Microsoft.ML;
using Microsoft.ML.Generative;
var ml = new MLContext(seed: 1);
var rng = new Random(1);
var rows = Enumerable.Range(0, 200).Select(_ => new Row { Features = new[] { (float)rng.NextDouble(), (float)rng.NextDouble() } });
var flow = ml.Generative().RealNvp(new RealNvpOptions { MaxEpochs = 2, NumberOfCouplingLayers = 2 }).Fit(ml.Data.LoadFromEnumerable(rows));
Console.WriteLine($"package consumer OK: threshold {flow.Threshold}");
public class Row { [Microsoft.ML.Data.VectorType(2)] public float[] Features { get; set; } }
CS
dotnet build -c Release --nologo -v q
dotnet bin/Release/net10.0/App.dll
dotnet publish -c Release -o "$work/publish" --nologo -v q
dotnet "$work/publish/App.dll"
echo "verify-package: OK"
