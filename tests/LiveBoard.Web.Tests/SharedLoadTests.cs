using System.Diagnostics;
using LiveBoard.Web.Live;

namespace LiveBoard.Web.Tests;

/// <summary>SharedLoad: concurrent callers share one load, and never get one that started before what they must see.</summary>
public sealed class SharedLoadTests
{
    // Each load waits on its own gate, so the test decides when a load ends; the count says how many ran.
    private sealed class GatedLoad : IDisposable
    {
        public readonly List<TaskCompletionSource<int>> Gates = [];
        public readonly SemaphoreSlim StartedOne = new(0);
        public int Started => Gates.Count;

        public Task<int> LoadAsync()
        {
            var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (Gates) Gates.Add(gate);
            StartedOne.Release();
            return gate.Task;
        }

        public void Dispose() => StartedOne.Dispose();
    }

    [Fact]
    public async Task A_caller_that_must_see_a_change_announced_before_the_running_load_started_joins_it()
    {
        using var loads = new GatedLoad();
        var shared = new SharedLoad<int>(loads.LoadAsync);
        var announced = Stopwatch.GetTimestamp();
        var first = shared.GetAsync();           // starts load 1, after the announcement
        await loads.StartedOne.WaitAsync();

        var second = shared.GetAsync(announced); // load 1 started after the change: fresh enough

        loads.Gates[0].SetResult(1);
        Assert.Equal(1, await first);
        Assert.Equal(1, await second);
        Assert.Equal(1, loads.Started);
    }

    [Fact]
    public async Task A_caller_never_gets_a_load_that_started_before_its_call()
    {
        using var loads = new GatedLoad();
        var shared = new SharedLoad<int>(loads.LoadAsync);
        var first = shared.GetAsync();
        await loads.StartedOne.WaitAsync();

        var second = shared.GetAsync();          // the change it must see may have landed after load 1 began

        loads.Gates[0].SetResult(1);
        Assert.Equal(1, await first);
        await loads.StartedOne.WaitAsync();      // the queued load 2 starts once load 1 has ended
        loads.Gates[1].SetResult(2);
        Assert.Equal(2, await second);
    }
}
