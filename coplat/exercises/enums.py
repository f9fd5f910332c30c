from flask_babel import lazy_gettext as _l

from coplat.core.enums import LabelledEnum


class Sector(LabelledEnum):
    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil_society"
    GUARANTOR = "guarantor"
    ACADEMIA = "academia"
    PRIVATE_SECTOR = "private_sector"
    CITIZEN = "citizen"

    @classmethod
    def _labels(cls):
        return {
            cls.GOVERNMENT: _l("Government"),
            cls.CIVIL_SOCIETY: _l("Civil society"),
            cls.GUARANTOR: _l("Guarantor body"),
            cls.ACADEMIA: _l("Academia"),
            cls.PRIVATE_SECTOR: _l("Private sector"),
            cls.CITIZEN: _l("Citizens"),
        }


# The three sectors that sign the declaration and sit on the STL (INAI steps 1 and 3).
STL_SECTORS = (Sector.GOVERNMENT, Sector.CIVIL_SOCIETY, Sector.GUARANTOR)


class Seat(LabelledEnum):
    TITULAR = "titular"
    SUPLENTE = "suplente"

    @classmethod
    def _labels(cls):
        return {cls.TITULAR: _l("Titular"), cls.SUPLENTE: _l("Alternate (suplente)")}


class ExerciseKind(LabelledEnum):
    STATE = "state"
    MUNICIPAL = "municipal"

    @classmethod
    def _labels(cls):
        return {cls.STATE: _l("State exercise"), cls.MUNICIPAL: _l("Municipal exercise")}
