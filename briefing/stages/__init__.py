"""The build's stages, in order: load -> clean -> annotate -> crosslink -> render -> write."""
