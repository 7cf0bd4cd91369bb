using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("LiveBoard.Core.Tests")]
