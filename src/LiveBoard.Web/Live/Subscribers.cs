using System.Collections.Immutable;

namespace LiveBoard.Web.Live;

/// <summary>
/// The handlers currently subscribed to something (the change feed, the standings), each until it disposes the
/// subscription it was given. Adding and removing never blocks a publisher: it reads an immutable list.
/// </summary>
public sealed class Subscribers<T>
{
    private ImmutableArray<Func<T, Task>> _handlers = [];

    public ImmutableArray<Func<T, Task>> Current => _handlers;

    public int Count => _handlers.Length;

    public bool IsEmpty => _handlers.IsEmpty;

    public IDisposable Add(Func<T, Task> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, (list, h) => list.Add(h), handler);
        return new Subscription(this, handler);
    }

    private sealed class Subscription(Subscribers<T> owner, Func<T, Task> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                ImmutableInterlocked.Update(ref owner._handlers, (list, h) => list.Remove(h), handler);
        }
    }
}
