import { SimClient } from './client';
import { SimPlayer } from './roster';

/**
 * A leader's party with its partner in it, formed once and kept across games (SPEC §12: a party
 * lives on after its game). Null while the service cannot say (an outage): the leader tries again
 * at its next join.
 */
export async function formParty(client: SimClient, leader: SimPlayer): Promise<string | null> {
  if (leader.partyId) return leader.partyId;
  const partner = leader.partner!;
  const created = await client.request('POST', '/v1/parties', leader.auth, { format: leader.format });
  let id: string | null = created.status === 201 ? created.json.party_id : null;
  if (!id && created.status === 409) {
    // made before, its answer lost: the leader's current party is the one
    const current = await client.request('GET', '/v1/parties/current', leader.auth);
    id = current.status === 200 ? (current.json?.party_id ?? null) : null;
  }
  if (!id) return null;
  const joined = await client.request('POST', `/v1/parties/${id}/join`, partner.auth);
  if (joined.status !== 200 && joined.json?.code !== 'ALREADY_IN_PARTY') return null;
  client.counters.partiesFormed++;
  leader.partyId = id;
  return id;
}
