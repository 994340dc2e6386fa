/**
 * Development only: picks an agency type, institution and jurisdiction, asks the gateway
 * (`POST /explorer/dev-token`) for a token signed with the development key, and hands it
 * with the stated purpose to the headers editor.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Credential } from './headers.js';
import type { DevTokenRequest, DevTokenResponse, ExplorerSettings } from './settings.js';

type Status =
  { kind: 'idle' } | { kind: 'busy' } | { kind: 'ok'; message: string } | { kind: 'error'; message: string };

const CUSTOM = -1;

async function requestToken(
  devTokenPath: string,
  request: DevTokenRequest,
  language: string,
  answered: (status: number) => string,
): Promise<DevTokenResponse> {
  const response = await fetch(devTokenPath, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': language },
    body: JSON.stringify(request),
  });
  const body = (await response.json().catch(() => ({}))) as Partial<DevTokenResponse> & { error?: string };
  if (!response.ok || !body.token) throw new Error(body.error ?? answered(response.status));
  return body as DevTokenResponse;
}

function timeOf(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

export function RolePicker(props: {
  settings: ExplorerSettings;
  devTokenPath: string;
  onCredential: (credential: Credential) => void;
}) {
  const { t, i18n } = useTranslation();
  const { roles, agencyTypes } = props.settings;
  const first = roles[0];
  const [roleIndex, setRoleIndex] = useState(first ? 0 : CUSTOM);
  const [agencyType, setAgencyType] = useState(first?.agencyType ?? agencyTypes[0] ?? '');
  const [agency, setAgency] = useState(first?.agency ?? '');
  const [jurisdiction, setJurisdiction] = useState(first?.jurisdiction.join(', ') ?? '');
  const [purpose, setPurpose] = useState(() => t('roles.defaultPurpose'));
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const choose = (index: number) => {
    setRoleIndex(index);
    const role = roles[index];
    if (!role) return;
    setAgencyType(role.agencyType);
    setAgency(role.agency);
    setJurisdiction(role.jurisdiction.join(', '));
  };
  const edited =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setRoleIndex(CUSTOM);
    };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setStatus({ kind: 'busy' });
    try {
      const request: DevTokenRequest = {
        agencyType,
        agency: agency.trim(),
        jurisdiction: jurisdiction
          .split(/[\s,]+/)
          .map((j) => j.trim())
          .filter(Boolean),
        // a typical role's token carries the role's scopes; a custom one its agency type's defaults
        ...(roles[roleIndex]?.scopes ? { scopes: [...roles[roleIndex].scopes] } : {}),
      };
      const answer = await requestToken(props.devTokenPath, request, i18n.language, (status) =>
        t('roles.answered', { status }),
      );
      props.onCredential({ token: answer.token, purpose: purpose.trim() });
      setStatus({
        kind: 'ok',
        message: t('roles.ok', {
          agency: request.agency,
          agencyType: request.agencyType,
          jurisdiction: request.jurisdiction.join(', '),
          until: timeOf(answer.expiresAt, i18n.language),
        }),
      });
    } catch (e) {
      setStatus({ kind: 'error', message: t('roles.failed', { reason: (e as Error).message }) });
    }
  };

  const id = useId();
  const roleLabels = t('roles.labels', { returnObjects: true }) as Record<string, string>;
  return (
    <form className="timpora-roles" aria-label={t('roles.form')} onSubmit={(event) => void submit(event)}>
      <Field id={`${id}-role`} label={t('roles.role')}>
        <select id={`${id}-role`} value={roleIndex} onChange={(e) => choose(Number(e.target.value))}>
          {roles.map((role, index) => (
            <option key={role.label} value={index}>
              {roleLabels[role.label] ?? role.label}
            </option>
          ))}
          <option value={CUSTOM}>{t('roles.custom')}</option>
        </select>
      </Field>
      <Field id={`${id}-type`} label={t('roles.agencyType')}>
        <select id={`${id}-type`} value={agencyType} onChange={(e) => edited(setAgencyType)(e.target.value)}>
          {agencyTypes.map((type) => (
            <option key={type}>{type}</option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-agency`} label={t('roles.agency')}>
        <input
          id={`${id}-agency`}
          value={agency}
          size={16}
          required
          onChange={(e) => edited(setAgency)(e.target.value)}
        />
      </Field>
      <Field id={`${id}-jurisdiction`} label={t('roles.jurisdiction')}>
        <input
          id={`${id}-jurisdiction`}
          value={jurisdiction}
          size={14}
          required
          title={t('roles.jurisdictionTitle')}
          onChange={(e) => edited(setJurisdiction)(e.target.value)}
        />
      </Field>
      <Field id={`${id}-purpose`} label={t('roles.purpose')}>
        <input id={`${id}-purpose`} value={purpose} size={28} required onChange={(e) => setPurpose(e.target.value)} />
      </Field>
      <button type="submit" disabled={status.kind === 'busy'}>
        {t('roles.submit')}
      </button>
      <output className={`timpora-roles__status timpora-roles__status--${status.kind}`} role="status">
        {status.kind === 'ok' || status.kind === 'error' ? status.message : ''}
      </output>
    </form>
  );
}

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="timpora-roles__field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}
