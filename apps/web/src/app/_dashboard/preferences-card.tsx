import { Card } from '~/components/ui/card';
import { PreferencesForm } from './preferences-form';

/** The preferences chosen at onboarding, changed later: display name, time zone, mail on/off. */
export function PreferencesCard({
  stored,
}: {
  stored: { displayName?: string; timeZone?: string; emailNotifications?: boolean };
}) {
  return (
    <Card title="Preferences">
      {/* Keyed by the stored values, so the form starts again from them after a save. */}
      <PreferencesForm key={JSON.stringify(stored)} stored={stored} />
    </Card>
  );
}
