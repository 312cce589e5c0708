// Same framework as apps/web; nothing configured, so the figure is Next's own.
export default {};
