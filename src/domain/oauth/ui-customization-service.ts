// SetUICustomization / GetUICustomization: CSS and a logo for the hosted pages, per pool (ClientId
// "ALL") and per app client (which wins over the pool's). Reference: "Customizing the classic
// hosted UI" in the Cognito developer guide.
//
// DEVIATION: the logo is served by Frontdesk at <publicUrl>/<poolId>/hosted-ui/logo/<ALL|clientId>
//   (Cognito serves it from CloudFront). Only PNG and JPEG are accepted (checked by their bytes),
//   so an SVG with script can never be served from the hosted UI's origin.
// DEVIATION: CSS is not limited to Cognito's list of customizable classes; it is placed in a
//   nonce'd <style> element with `<` removed, and the pages' CSP forbids loading anything from
//   other origins, so it can restyle the pages but not reach outside them.
import { randomUUID } from 'node:crypto';
import type { SetUICustomizationRequest, UICustomizationType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, ResourceNotFoundException } from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import { ALL_CLIENTS, type UiCustomization } from '../../store/ui-customization-store.js';
import type { Clock } from '../clock.js';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';

/** Cognito's limit for the logo. */
export const MAX_IMAGE_BYTES = 100 * 1024;

function imageType(data: Buffer): string | undefined {
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  return undefined;
}

export interface Branding {
  css?: string;
  logoUrl?: string;
}

export class UiCustomizationService {
  constructor(
    private readonly deps: {
      store: Pick<Store, 'uiCustomizations'>;
      clock: Clock;
      userPools: UserPoolService;
      clients: UserPoolClientService;
      publicUrl: () => string;
    },
  ) {}

  async set(input: SetUICustomizationRequest): Promise<UICustomizationType> {
    const pool = await this.deps.userPools.get(input.UserPoolId!);
    const clientKey = await this.clientKeyOf(pool.id, input.ClientId);
    const image = input.ImageFile as Buffer | undefined;
    let checkedImage: UiCustomization['image'];
    if (image !== undefined && image.length > 0) {
      if (image.length > MAX_IMAGE_BYTES) throw new InvalidParameterException('The image file is larger than 100 KB.');
      const contentType = imageType(Buffer.from(image));
      if (!contentType) throw new InvalidParameterException('The image file must be a PNG or JPEG image.');
      checkedImage = { data: Buffer.from(image), contentType };
    }
    const now = this.deps.clock.now();
    const current = await this.deps.store.uiCustomizations.get(pool.id, clientKey);
    const next: UiCustomization = {
      userPoolId: pool.id,
      clientKey,
      ...(input.CSS ? { css: input.CSS } : {}),
      ...(checkedImage ? { image: checkedImage } : {}),
      cssVersion: randomUUID().replace(/-/g, '').slice(0, 16),
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    };
    if (!(await this.deps.store.uiCustomizations.put(next))) throw new ResourceNotFoundException(`User pool ${pool.id} does not exist.`);
    return this.view(next);
  }

  /** The client's customization, else the pool's, else an empty one naming the pool. */
  async get(poolId: string, clientId: string | undefined): Promise<UICustomizationType> {
    const pool = await this.deps.userPools.get(poolId);
    const found = await this.effective(pool.id, await this.clientKeyOf(pool.id, clientId));
    return found ? this.view(found) : { UserPoolId: pool.id, ClientId: clientId ?? ALL_CLIENTS };
  }

  /** What the hosted pages are drawn with for this client. */
  async brandingFor(poolId: string, clientId: string): Promise<Branding> {
    const found = await this.effective(poolId, clientId);
    if (!found) return {};
    return { ...(found.css ? { css: found.css } : {}), ...(found.image ? { logoUrl: this.logoPath(found) } : {}) };
  }

  /** The logo bytes of a customization (for the logo route). */
  async logo(poolId: string, clientKey: string): Promise<{ data: Buffer; contentType: string } | undefined> {
    return (await this.deps.store.uiCustomizations.get(poolId, clientKey))?.image;
  }

  private async effective(poolId: string, clientKey: string): Promise<UiCustomization | undefined> {
    if (clientKey !== ALL_CLIENTS) {
      const own = await this.deps.store.uiCustomizations.get(poolId, clientKey);
      if (own) return own;
    }
    return this.deps.store.uiCustomizations.get(poolId, ALL_CLIENTS);
  }

  private async clientKeyOf(poolId: string, clientId: string | undefined): Promise<string> {
    if (clientId === undefined || clientId === ALL_CLIENTS) return ALL_CLIENTS;
    if (!(await this.deps.clients.find(poolId, clientId))) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
    return clientId;
  }

  private logoPath(c: UiCustomization): string {
    return `/${c.userPoolId}/hosted-ui/logo/${c.clientKey}?v=${c.cssVersion}`;
  }

  private view(c: UiCustomization): UICustomizationType {
    return {
      UserPoolId: c.userPoolId,
      ClientId: c.clientKey,
      ...(c.image ? { ImageUrl: `${this.deps.publicUrl().replace(/\/+$/, '')}${this.logoPath(c)}` } : {}),
      ...(c.css !== undefined ? { CSS: c.css } : {}),
      CSSVersion: c.cssVersion,
      CreationDate: c.createdAt,
      LastModifiedDate: c.updatedAt,
    };
  }
}
