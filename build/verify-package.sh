#!/usr/bin/env bash
# Packs Microsoft.ML.Generative and checks the package the way an application uses it, from a throwaway console app
# that references the package (not the project):
#   1. build, and run: TorchSharp must load and a flow must train, which on Debian 12 only works if the package's
#      buildTransitive/Microsoft.ML.Generative.targets weakened GLIBCXX_3.4.32 in the app's output;
#   2. publish (portable) and publish -r linux-x64, and run both the same way;
#   3. publish -r win-x64 and -r osx-arm64 (restore and build only: they cannot run here): they must succeed without
#      warnings, carry that RID's TorchSharp and libtorch natives, contain no Linux library, and TorchSharp's native
#      library must be byte-identical to the one in its NuGet package (the Linux fix leaves other RIDs alone).
# Prints the time of each step.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step_start=$SECONDS
step() { echo "verify-package: $1 ($((SECONDS - step_start)) s)"; step_start=$SECONDS; }

# The versions the repository pins, so the consumer uses the same libtorch as the tests.
pinned() { sed -n "s/.*<PackageVersion Include=\"$1\" Version=\"\[\{0,1\}\([^]\"]*\)\]\{0,1\}\".*/\1/p" "$root/Directory.Packages.props"; }
libtorch="$(pinned libtorch-cpu-linux-x64)"
torchsharp="$(pinned TorchSharp)"
[ -n "$libtorch" ] && [ -n "$torchsharp" ] || { echo "error: cannot read the libtorch/TorchSharp pins from Directory.Packages.props" >&2; exit 1; }

# A unique pre-release version: the machine's package cache can never hold a stale copy of it.
version="0.0.0-verify.$(date +%Y%m%d%H%M%S).$$"
dotnet pack "$root/src/Microsoft.ML.Generative" -c Release -o "$work/feed" -p:Version="$version" --nologo -v q
grep -aq "buildTransitive/Microsoft.ML.Generative.targets" "$work"/feed/Microsoft.ML.Generative.*.nupkg \
    || { echo "error: the package lacks buildTransitive/Microsoft.ML.Generative.targets" >&2; exit 1; }
step "packed $version"

mkdir -p "$work/app"
cd "$work/app"
# The consumer lives outside the repository: no Directory.*.props, its own local feed plus the machine's sources.
cat > nuget.config <<XML
<configuration><packageSources><add key="local" value="$work/feed" /></packageSources></configuration>
XML
# The libtorch build is the application's choice, one per target: the portable and linux-x64 outputs take the Linux
# one, a win-x64 or osx-arm64 publish that RID's package (RID-conditional references are restored for the -r given).
cat > App.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.ML.Generative" Version="$version" />
    <PackageReference Include="libtorch-cpu-linux-x64" Version="$libtorch" Condition="'\$(RuntimeIdentifier)' == '' Or '\$(RuntimeIdentifier)' == 'linux-x64'" />
    <PackageReference Include="libtorch-cpu-win-x64" Version="$libtorch" Condition="'\$(RuntimeIdentifier)' == 'win-x64'" />
    <PackageReference Include="libtorch-cpu-osx-arm64" Version="$libtorch" Condition="'\$(RuntimeIdentifier)' == 'osx-arm64'" />
  </ItemGroup>
</Project>
XML
cat > Program.cs <<'CS'
using Microsoft.ML;
using Microsoft.ML.Generative;
var ml = new MLContext(seed: 1);
var rng = new Random(1);
var rows = Enumerable.Range(0, 200).Select(_ => new Row { Features = new[] { (float)rng.NextDouble(), (float)rng.NextDouble() } });
var flow = ml.Generative().RealNvp(new RealNvpOptions { MaxEpochs = 2, NumberOfCouplingLayers = 2, NumberOfThreads = 1 }).Fit(ml.Data.LoadFromEnumerable(rows));
Console.WriteLine($"package consumer OK: threshold {flow.Threshold}");
public class Row { [Microsoft.ML.Data.VectorType(2)] public float[] Features { get; set; } }
CS

# libLibTorchSharp.so in a Linux output must carry the weakened requirement (skipped where binutils is missing).
weak() {
    command -v readelf >/dev/null 2>&1 || return 0
    local versions
    versions="$(readelf -V "$1")"
    grep -q "GLIBCXX_3.4.32 *Flags: WEAK" <<<"$versions" || { echo "error: $1: GLIBCXX_3.4.32 is not weak" >&2; return 1; }
}

dotnet build -c Release --nologo -v q
weak bin/Release/net10.0/runtimes/linux-x64/native/libLibTorchSharp.so
dotnet bin/Release/net10.0/App.dll
step "build and run"

dotnet publish -c Release -o "$work/publish" --nologo -v q
weak "$work/publish/runtimes/linux-x64/native/libLibTorchSharp.so"
dotnet "$work/publish/App.dll"
step "publish (portable) and run"

dotnet publish -c Release -r linux-x64 -o "$work/publish-linux-x64" --nologo -v q
weak "$work/publish-linux-x64/libLibTorchSharp.so"
"$work/publish-linux-x64/App"
rm -rf "$work/publish-linux-x64"
step "publish -r linux-x64 and run"

packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')"
for rid in win-x64 osx-arm64; do
    case $rid in
        win-x64)   native=LibTorchSharp.dll;       torch=torch_cpu.dll ;;
        osx-arm64) native=libLibTorchSharp.dylib;  torch=libtorch_cpu.dylib ;;
    esac
    out="$work/publish-$rid"
    # Normal verbosity so that every warning, whatever its source, reaches the log.
    dotnet publish -c Release -r "$rid" -o "$out" --nologo -v n > "$work/publish-$rid.log" 2>&1 \
        || { tail -40 "$work/publish-$rid.log" >&2; echo "error: publish -r $rid failed" >&2; exit 1; }
    if grep -qE "(^|[^0-9])[1-9][0-9]* Warning\(s\)" "$work/publish-$rid.log"; then
        grep -E ": warning " "$work/publish-$rid.log" | sort -u >&2
        echo "error: publish -r $rid has warnings" >&2; exit 1
    fi
    [ -f "$out/$torch" ] || { echo "error: publish -r $rid lacks $torch (libtorch-cpu-$rid)" >&2; exit 1; }
    cmp -s "$out/$native" "$packages/torchsharp/$torchsharp/runtimes/$rid/native/$native" \
        || { echo "error: publish -r $rid: $native differs from TorchSharp's package (or is missing)" >&2; exit 1; }
    leftovers="$(find "$out" -name '*.so' -o -name '*.weaken.tmp')"
    if [ -n "$leftovers" ]; then
        echo "error: publish -r $rid contains Linux libraries or patch leftovers:" >&2; echo "$leftovers" >&2; exit 1
    fi
    rm -rf "$out"
    step "publish -r $rid (not run: no $rid here): no warnings, $torch present, $native untouched"
done
echo "verify-package: OK"
