using System.Globalization;
using System.Runtime.InteropServices;

namespace Lotse.Bench.Infrastructure;

/// <summary>
/// What the report needs to say about the machine, read from /proc: cores, CPU model, memory, OS, load, and the CPU
/// time of single processes, so that the server's, the database's and the driver's share of the two cores can be told
/// apart from whatever else (other developers' builds) ran at the same time.
/// </summary>
public static class Machine
{
    /// <summary>Kernel clock ticks per second for /proc/*/stat times (USER_HZ, 100 on every Linux we run on).</summary>
    private const double TicksPerSecond = 100;

    public static string Describe()
    {
        var model = ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memKb = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var memGiB = memKb is null ? "?" : (long.Parse(memKb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
        var os = ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription;
        return $"{Environment.ProcessorCount} cores ({model}), {memGiB} GiB RAM, {os}, kernel {Environment.OSVersion.Version}, {RuntimeInformation.FrameworkDescription}";
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>The soft limit of open files, which each WebSocket and database connection counts against.</summary>
    public static long? OpenFilesLimit()
    {
        var line = ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        return soft is null ? null : soft == "unlimited" ? long.MaxValue : long.Parse(soft, CultureInfo.InvariantCulture);
    }

    /// <summary>CPU seconds (user + system) a process has used so far, and those of its waited-for children.</summary>
    public static double ProcessCpuSeconds(int pid, bool withExitedChildren = false)
    {
        var fields = StatFields(pid);
        if (fields is null)
        {
            return 0;
        }

        // Fields after the command name: [0]=state ... utime is field 14 of the full line, i.e. index 11 here.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (withExitedChildren)
        {
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>CPU seconds of a process tree: the parent (with its exited children) and every live direct child.</summary>
    public static double TreeCpuSeconds(int parentPid)
    {
        var total = ProcessCpuSeconds(parentPid, withExitedChildren: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && StatFields(pid) is { } f && f[1] == parentPid.ToString(CultureInfo.InvariantCulture))
            {
                total += ProcessCpuSeconds(pid);
            }
        }

        return total;
    }

    /// <summary>Busy and total CPU seconds of the whole machine (all cores) since boot, from /proc/stat.</summary>
    public static (double Busy, double Total) MachineCpuSeconds()
    {
        var line = ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null)
        {
            return (0, 0);
        }

        var v = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var total = v.Sum();
        var idle = v[3] + v[4];
        return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
    }

    /// <summary>Peak resident memory (VmHWM) of a process in MiB.</summary>
    public static double PeakMemoryMiB(int pid)
    {
        var line = ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Threads of a process now: a thread pool that keeps adding threads is starved (something blocks).</summary>
    public static int Threads(int pid)
    {
        var line = ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Threads:", StringComparison.Ordinal));
        return line is null ? 0 : int.Parse(line.Split('\t', ' ').Last(x => x.Length > 0), CultureInfo.InvariantCulture);
    }

    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may contain spaces: split only what follows it.
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return [];
        }
    }
}

/// <summary>CPU used between two moments by the server, the database, this driver, and the machine as a whole.</summary>
public sealed class CpuMeter
{
    private readonly int? _serverPid;
    private readonly int? _databasePid;
    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();
    private readonly double _server;
    private readonly double _database;
    private readonly double _driver;
    private readonly (double Busy, double Total) _machine;

    public CpuMeter(int? serverPid, int? databasePid)
    {
        _serverPid = serverPid;
        _databasePid = databasePid;
        _server = serverPid is { } s ? Machine.ProcessCpuSeconds(s) : 0;
        _database = databasePid is { } d ? Machine.TreeCpuSeconds(d) : 0;
        _driver = Environment.ProcessId is var me ? Machine.ProcessCpuSeconds(me) : 0;
        _machine = Machine.MachineCpuSeconds();
    }

    /// <summary>Each as a percentage of one core over the elapsed wall time (so 200 % is both cores of this machine).</summary>
    public CpuUse Stop()
    {
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var machine = Machine.MachineCpuSeconds();
        double Percent(double seconds) => wall <= 0 ? 0 : seconds / wall * 100;
        var server = _serverPid is { } s ? Percent(Machine.ProcessCpuSeconds(s) - _server) : (double?)null;
        var database = _databasePid is { } d ? Percent(Machine.TreeCpuSeconds(d) - _database) : (double?)null;
        var driver = Percent(Machine.ProcessCpuSeconds(Environment.ProcessId) - _driver);
        var busy = Percent(machine.Busy - _machine.Busy);
        return new CpuUse(wall, server, database, driver, busy, busy - (server ?? 0) - (database ?? 0) - driver);
    }
}

public sealed record CpuUse(double WallSeconds, double? ServerPercent, double? DatabasePercent, double DriverPercent, double MachineBusyPercent, double OthersPercent);
