/**
 * The avatar `renderAvatar` (lc-chat/message-list.ts) draws: the initial on
 * the client's colour, covered by an image when one is given. Shared by the
 * elements that show it (`<lc-chat>`, `<lc-support>`'s pre-chat header).
 */
import { css } from 'lit';

export const avatar = css`
  .avatar {
    position: relative;
    overflow: hidden;
    flex: none;
    display: grid;
    place-items: center;
    inline-size: 36px;
    block-size: 36px;
    border-radius: 50%;
    font-weight: 600;
    font-size: 14px;
    color: #fff;
    background: var(--_avatar, var(--_accent));
    user-select: none;
  }
  .avatar img {
    position: absolute;
    inset: 0;
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  .avatar.small {
    inline-size: 28px;
    block-size: 28px;
    font-size: 12px;
  }
`;
