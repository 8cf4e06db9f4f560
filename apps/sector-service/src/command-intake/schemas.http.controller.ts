import { Controller, Get, Param } from '@nestjs/common';
import { ContractSchemas, buildContractSchemas } from '@backbone/contracts';
import { problem } from '@backbone/http';

/** The contract's JSON Schemas (the same ones committed under schemas/), open to anyone. */
@Controller('v1/schemas')
export class SchemasHttpController {
  private readonly schemas: ContractSchemas = buildContractSchemas();

  @Get()
  index(): { commands: Record<string, string>; events: Record<string, string> } {
    const links = (types: object): Record<string, string> =>
      Object.fromEntries(Object.keys(types).map((type) => [type, `/v1/schemas/${type}`]));
    return { commands: links(this.schemas.commands), events: links(this.schemas.events) };
  }

  @Get(':type')
  one(@Param('type') type: string): Record<string, unknown> {
    const schema = this.schemas.commands[type] ?? this.schemas.events[type];
    if (!schema)
      throw problem(404, 'Not Found', `no schema for "${type}"; GET /v1/schemas lists them`);
    return schema;
  }
}
