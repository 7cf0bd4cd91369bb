using System.Resources;

// The neutral resources are Chinese: zh-CN is the default UI and needs no satellite assembly.
[assembly: NeutralResourcesLanguage("zh-CN")]

namespace LiveBoard.Web;

/// <summary>Marker for the shared UI strings in Resources/SharedResource(.en).resx.</summary>
public sealed class SharedResource;
