// The smallest App Router app: what Next and React cost before any app code (pages.bench.ts' floor).
export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
