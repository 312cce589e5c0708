import type { Metadata } from 'next';
import { PeopleTable } from './people-table';

export const metadata: Metadata = { title: 'People' };

export default async function PeoplePage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const { status } = await searchParams;
  return (
    <>
      <h1 className="text-2xl font-semibold">People</h1>
      <PeopleTable initialStatus={status ?? ''} />
    </>
  );
}
