"""Forms of the network's staff pages; each turns into an action's input."""
