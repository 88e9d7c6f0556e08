import {
  type Credentials,
  type MerchantConfig,
  readCredentials,
  writeCredentials,
} from '@mycard/merchant-app';
import { createProgram, getProgram, type PlatformContext } from '@mycard/platform';

/**
 * The merchant's My Card program: reused when `<merchant dataDir>/credentials.json` names a program
 * the platform knows, otherwise registered (LIVE, the merchant's code type and colours, binding and
 * webhook URLs on the merchant, a template detail page) and its credentials written there (0600).
 * Returns the credentials and whether it registered them now.
 */
export async function ensureDemoProgram(
  ctx: PlatformContext,
  merchant: MerchantConfig,
  operatorId: string | null,
): Promise<{ credentials: Credentials; registered: boolean }> {
  const platformUrl = ctx.config.publicUrl;
  const existing = readCredentials(merchant.dataDir);
  if (existing && (await getProgram(ctx.db, existing.channelId))) {
    return { credentials: existing, registered: false };
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
      description: `${merchant.brand.name} membership: earn points on every purchase.`,
      benefits: '1 point for every 100 spent. Points never expire while your card is active.',
      terms: 'Points have no cash value. One card per person.',
      contact: `${shop}/`,
      links: [{ label: 'Member site', url: `${shop}/` }],
    },
    operatorId,
  });
  const credentials: Credentials = {
    channelId: program.channelId,
    channelSecret,
    platformUrl,
    issuer: platformUrl,
    jwksUrl: `${platformUrl}/.well-known/jwks.json`,
  };
  writeCredentials(merchant.dataDir, credentials);
  return { credentials, registered: true };
}
