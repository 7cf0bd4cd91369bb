using LiveBoard.Core;

namespace LiveBoard.Web.Live;

/// <summary>
/// The stream of accepted changes that every open screen follows. Pages, display panels and the public hub
/// consume it; writers publish to it only after their change is committed. The in-process implementation
/// serves one machine; <see cref="RedisChangeFeed"/> carries every change to every instance.
/// </summary>
public interface IChangeFeed
{
    Task PublishAsync(CampaignEvent change, CancellationToken ct = default);

    /// <summary>Calls <paramref name="handler"/> for every event until the returned subscription is disposed.</summary>
    IDisposable Subscribe(Func<CampaignEvent, Task> handler);

    /// <summary>
    /// Whether this instance published <paramref name="change"/> (rather than received it from another instance). A follower
    /// whose output already reaches every instance, such as the hub on its Redis backplane, sends only these.
    /// </summary>
    bool CommittedHere(CampaignEvent change) => true;
}
