import {
  type MerchantConfig,
  readCredentials,
  readStores,
  type StoreCredentials,
  writeCredentials,
  writeStores,
} from '@mycard/merchant-app';
import {
  createParticipant,
  createProgram,
  getProgram,
  listParticipants,
  makeGroupProgram,
  type PlatformContext,
} from '@mycard/platform';

/** The two brands of the demo group (PROTOCOL.md §8), each a participant with its own channel. */
export const DEMO_GROUP_STORES = ['Demo Bakery', 'Demo Coffee'] as const;

/**
 * Development: the "Demo Group" program — one card used at two brands — beside Demo Mart. Reused
 * when `<group dataDir>/credentials.json` and `stores.json` name a group program and its participants
 * the platform knows; otherwise registered (LIVE, a group program, one participant per brand) and its
 * credentials and stores written there (0600). The group's shop is a second reference merchant on
 * that data folder. Returns the program's channel id and whether it registered it now.
 */
export async function ensureDemoGroup(
  ctx: PlatformContext,
  merchant: MerchantConfig,
  operatorId: string | null,
): Promise<{ channelId: string; stores: StoreCredentials[]; registered: boolean }> {
  const platformUrl = ctx.config.publicUrl;
  const existing = readCredentials(merchant.dataDir);
  const existingStores = readStores(merchant.dataDir);
  if (existing && existingStores.length > 0 && (await getProgram(ctx.db, existing.channelId))) {
    const known = new Set((await listParticipants(ctx.db, existing.channelId)).map((p) => p.participantId));
    if (existingStores.every((s) => known.has(s.storeId))) {
      return { channelId: existing.channelId, stores: existingStores, registered: false };
    }
  }
  const shop = merchant.publicUrl;
  const { program, channelSecret } = await createProgram(ctx, {
    name: merchant.brand.name,
    codeType: merchant.codeType,
    bindingUrl: `${shop}/mycard/bind`,
    webhookUrl: `${shop}/mycard/webhook`,
    status: 'LIVE',
    colors: merchant.brand.colors,
    detail: {
      kind: 'template',
      description: `One ${merchant.brand.name} card at all our brands: ${DEMO_GROUP_STORES.join(' and ')}.`,
      benefits: '1 point for every 100 spent at any of our brands; one balance for all of them.',
      terms: 'Points have no cash value. One card per person.',
      contact: `${shop}/`,
      links: [{ label: 'Member site', url: `${shop}/` }],
    },
    operatorId,
  });
  await makeGroupProgram(ctx, program.channelId);
  const stores: StoreCredentials[] = [];
  for (const name of DEMO_GROUP_STORES) {
    const created = await createParticipant(ctx, program.channelId, name);
    stores.push({
      storeId: created.participant.participantId,
      name,
      channelId: created.participant.channelId,
      channelSecret: created.channelSecret,
    });
  }
  writeCredentials(merchant.dataDir, {
    channelId: program.channelId,
    channelSecret,
    platformUrl,
    issuer: platformUrl,
    jwksUrl: `${platformUrl}/.well-known/jwks.json`,
  });
  writeStores(merchant.dataDir, stores);
  return { channelId: program.channelId, stores, registered: true };
}
