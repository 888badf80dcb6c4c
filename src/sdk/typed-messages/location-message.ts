/**
 * The location message (type -5) and its `GeoPoint`, in the official
 * typed-messages plugin's payload shape: `{_lctype: -5, _lctext?, _lcattrs?, _lcloc: {latitude, longitude}}`.
 */
import { messageType } from '../messages/decorators.js';
import type { Message } from '../messages/message.js';
import { TypedMessage, type TypedMessagePayload } from '../messages/typed-message.js';

/** A point on Earth in degrees, as `AV.GeoPoint`'s JSON. */
export interface GeoPointLike {
  latitude: number;
  longitude: number;
}

/** A location, in place of the storage SDK's `AV.GeoPoint`. */
export class GeoPoint implements GeoPointLike {
  readonly latitude: number;
  readonly longitude: number;

  /**
   * `new GeoPoint(31.37, 120.96)` or `new GeoPoint({latitude, longitude})`.
   * @throws RangeError unless -90 ≤ latitude ≤ 90 and -180 ≤ longitude ≤ 180
   */
  constructor(latitude: number | GeoPointLike, longitude?: number) {
    const point = typeof latitude === 'object' && latitude !== null ? latitude : { latitude, longitude: longitude as number };
    if (typeof point.latitude !== 'number' || !(point.latitude >= -90 && point.latitude <= 90)) {
      throw new RangeError(`latitude ${String(point.latitude)} is not a number from -90 to 90`);
    }
    if (typeof point.longitude !== 'number' || !(point.longitude >= -180 && point.longitude <= 180)) {
      throw new RangeError(`longitude ${String(point.longitude)} is not a number from -180 to 180`);
    }
    this.latitude = point.latitude;
    this.longitude = point.longitude;
  }

  toJSON(): GeoPointLike {
    return { latitude: this.latitude, longitude: this.longitude };
  }
}

/** The payload of a location message. */
export interface LocationMessagePayload extends TypedMessagePayload {
  _lcloc: GeoPointLike;
}

/** A location message, type -5. */
export class LocationMessage extends TypedMessage {
  #location: GeoPoint;

  /**
   * @param location a GeoPoint or `{latitude, longitude}`
   * @throws RangeError for coordinates out of range
   */
  constructor(location: GeoPointLike) {
    super();
    this.#location = location instanceof GeoPoint ? location : new GeoPoint(location);
  }

  /** The location. */
  getLocation(): GeoPoint {
    return this.#location;
  }

  /** `[位置] text`, as the official plugin shows it. */
  override get summary(): string {
    return `[位置] ${this.text ?? ''}`.trim();
  }

  override toJSON(): LocationMessagePayload {
    return { ...super.toJSON(), _lcloc: this.#location.toJSON() };
  }

  override getPayload(): LocationMessagePayload {
    return this.toJSON();
  }

  /** @throws RangeError/TypeError for a payload without valid `_lcloc` (then delivered as a plain message) */
  static override parse(json: unknown, message?: Message): Message {
    const lcloc = typeof json === 'object' && json !== null ? (json as { _lcloc?: unknown })._lcloc : undefined;
    if (typeof lcloc !== 'object' || lcloc === null) throw new TypeError('malformed location message: no _lcloc');
    return super.parse(json, message ?? new this(lcloc as GeoPointLike));
  }
}
messageType(-5)(LocationMessage);
